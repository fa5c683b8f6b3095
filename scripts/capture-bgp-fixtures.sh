#!/usr/bin/env bash
# Captures real BGP messages from BIRD, FRR, GoBGP and ExaBGP as codec fixtures in test/fixtures/bgp/.
#
# Each daemon runs in network namespace hcap-d (192.0.2.1, 2001:db8::1) and peers over a veth pair with
# a small scripted BGP speaker (python3, below) in hcap-p (192.0.2.2, 2001:db8::2), which records every
# message the daemon sends. The daemon announces 198.51.100.0/24 and 2001:db8:100::/48 with MED,
# communities (one well-known), an extended community (not GoBGP: its CLI has none; it adds an
# AGGREGATOR instead) and a large community. The session then goes
# through: our ROUTE-REFRESH request (enhanced route refresh answers with BoRR/EoRR), a ROUTE-REFRESH
# from the daemon (its CLI), and a Cease from the daemon with a shutdown communication (its CLI; ExaBGP
# has none, so the peer sends a message with a zero Marker and records the resulting NOTIFICATION).
#
# Session shapes, to cover the codec contexts: BIRD (AS 4200000001) sends ADD-PATH Path Identifiers
# for IPv4; FRR (AS 4200000002) faces a peer without the 4-octet AS capability, so it sends AS_TRANS
# and AS4_PATH; GoBGP and ExaBGP (AS 65001) are plain 4-octet AS sessions.
#
# Output: <daemon>-<version>-<open|keepalive|update|route-refresh|notification>.hex, one message per
# line in hex, after '#' provenance lines. Needs root and the Debian packages from scripts/setup.sh.
# Usage: sudo scripts/capture-bgp-fixtures.sh [bird|frr|gobgp|exabgp ...]   (default: all four)
# HCAP_KEEP=1 keeps the work directory (configs, daemon logs, raw recordings) for debugging.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=test/fixtures/bgp
NS_D=hcap-d
NS_P=hcap-p
WORK=$(mktemp -d /tmp/hcap.XXXXXX)
chmod 755 "$WORK" # FRR runs as user frr and must reach its directory
PIDS=()
DATE=$(date -u +%Y-%m-%d)

log() { echo "capture: $*" >&2; }

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 0.5
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for ns in $(ip netns list | awk '{print $1}' | grep '^hcap-' || true); do ip netns del "$ns" 2>/dev/null || true; done
  if [ "${HCAP_KEEP:-0}" = 1 ]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || { log "needs root (network namespaces)"; exit 1; }
for ns in $(ip netns list | awk '{print $1}' | grep '^hcap-' || true); do ip netns del "$ns"; done

ip netns add "$NS_D"
ip netns add "$NS_P"
ip link add hcap-d0 netns "$NS_D" type veth peer name hcap-p0 netns "$NS_P"
ip -n "$NS_D" link set lo up
ip -n "$NS_P" link set lo up
ip -n "$NS_D" addr add 192.0.2.1/24 dev hcap-d0
ip -n "$NS_P" addr add 192.0.2.2/24 dev hcap-p0
ip -n "$NS_D" addr add 2001:db8::1/64 dev hcap-d0 nodad
ip -n "$NS_P" addr add 2001:db8::2/64 dev hcap-p0 nodad
ip -n "$NS_D" link set hcap-d0 up
ip -n "$NS_P" link set hcap-p0 up

# ------------------------------------------------------------------ the scripted peer (AS 65002)
cat >"$WORK/peer.py" <<'PY'
"""Accepts one BGP session on 192.0.2.2:179, answers OPEN/KEEPALIVE, records what the daemon sends
(hex, one message per line) and acts on control files: 'refresh' sends a ROUTE-REFRESH for IPv4
unicast, 'bad-marker' sends a KEEPALIVE whose Marker is zeros. Exits when the daemon closes or after 120 s."""
import os, select, socket, struct, sys, time

out_path, control, mode = sys.argv[1], sys.argv[2], sys.argv[3]
MY_AS, HOLD, BGP_ID = 65002, 90, 0xC0000202

def message(mtype, body=b''):
    return b'\xff' * 16 + struct.pack('!HB', 19 + len(body), mtype) + body

def cap(code, value=b''):
    return struct.pack('!BB', code, len(value)) + value

caps = [cap(1, struct.pack('!HBB', 1, 0, 1)), cap(1, struct.pack('!HBB', 2, 0, 1)), cap(2), cap(70), cap(6),
        cap(64, struct.pack('!H', 120) + struct.pack('!HBB', 1, 1, 0x80) + struct.pack('!HBB', 2, 1, 0x80))]
if mode != 'old':
    caps.append(cap(65, struct.pack('!I', MY_AS)))
if mode == 'add-path':
    caps.append(cap(69, struct.pack('!HBB', 1, 1, 1) + struct.pack('!HBB', 2, 1, 1)))
params = b''.join(caps)
open_body = struct.pack('!BHHIB', 4, MY_AS, HOLD, BGP_ID, len(params) + 2) + struct.pack('!BB', 2, len(params)) + params

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('192.0.2.2', 179))
srv.listen(1)
srv.settimeout(60)
conn, _ = srv.accept()
conn.sendall(message(1, open_body))
buf, got_open, last_keepalive, deadline = b'', False, 0.0, time.time() + 120
with open(out_path, 'w') as out:
    while time.time() < deadline:
        bad_marker = b'\x00' * 16 + struct.pack('!HB', 19, 4)
        for name, data in (('refresh', message(5, struct.pack('!HBB', 1, 0, 1))), ('bad-marker', bad_marker)):
            path = os.path.join(control, name)
            if os.path.exists(path):
                os.remove(path)
                conn.sendall(data)
        if got_open and time.time() - last_keepalive > 5:
            conn.sendall(message(4))
            last_keepalive = time.time()
        ready, _, _ = select.select([conn], [], [], 0.2)
        if not ready:
            continue
        data = conn.recv(65535)
        if not data:
            break
        buf += data
        while len(buf) >= 19:
            length = struct.unpack('!H', buf[16:18])[0]
            if len(buf) < length:
                break
            msg, buf = buf[:length], buf[length:]
            got_open = got_open or msg[18] == 1
            out.write(msg.hex() + '\n')
            out.flush()
PY

# ------------------------------------------------------------------ helpers

count_type() { # file, type as two hex digits: number of recorded messages of that type
  [ -f "$1" ] || { echo 0; return; }
  cut -c37-38 "$1" | grep -c "^$2\$" || true
}

wait_for() { # file, type, count, seconds
  local end=$((SECONDS + $4))
  while [ "$(count_type "$1" "$2")" -lt "$3" ]; do
    [ $SECONDS -lt $end ] || { log "timed out waiting for $3 message(s) of type $2"; return 1; }
    sleep 0.2
  done
}

start_peer() { # name, mode
  mkdir -p "$WORK/$1/control"
  ip netns exec "$NS_P" setsid python3 "$WORK/peer.py" "$WORK/$1/recorded.hex" "$WORK/$1/control" "$2" \
    >"$WORK/$1/peer.log" 2>&1 &
  PIDS+=($!)
  PEER_PID=$!
  sleep 0.5
}

stop_all() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 0.5
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  PIDS=()
}

write_fixtures() { # daemon, version, description
  local daemon=$1 version=$2 description=$3 rec="$WORK/$1/recorded.hex"
  local -A names=([01]=open [02]=update [03]=notification [04]=keepalive [05]=route-refresh)
  for type in 01 02 03 04 05; do
    local file="$OUT/$daemon-$version-${names[$type]}.hex"
    local lines
    lines=$(awk -v t="$type" 'substr($0, 37, 2) == t' "$rec")
    if [ "$type" = 04 ]; then lines=$(echo "$lines" | head -1); fi
    [ -n "$lines" ] || { rm -f "$file"; continue; }
    {
      echo "# provenance: captured by scripts/capture-bgp-fixtures.sh on $DATE: $description"
      echo "# sent by the daemon (192.0.2.1) to a scripted peer (AS 65002, 192.0.2.2); one message per line, hex"
      echo "$lines"
    } >"$file"
    log "wrote $file ($(echo "$lines" | wc -l) message(s))"
  done
}

exchange() { # name, refresh-command, shutdown-command (empty: provoke a NOTIFICATION with a bad marker), ask-refresh
  local rec="$WORK/$1/recorded.hex"
  wait_for "$rec" 01 1 30
  wait_for "$rec" 02 2 30 # the IPv4 and IPv6 routes (and End-of-RIB markers when the daemon sends them)
  sleep 2
  if [ "${4:-yes}" = yes ]; then
    touch "$WORK/$1/control/refresh"
    sleep 3
  fi
  if [ -n "$2" ]; then
    eval "$2"
    wait_for "$rec" 05 1 15 || true
  fi
  if [ -n "$3" ]; then eval "$3"; else touch "$WORK/$1/control/bad-marker"; fi
  wait_for "$rec" 03 1 15
  sleep 0.5
}

# ------------------------------------------------------------------ BIRD 2

capture_bird() {
  local d="$WORK/bird" version
  version=$(bird --version 2>&1 | awk '{print $3}')
  mkdir -p "$d"
  cat >"$d/bird.conf" <<EOF
router id 192.0.2.1;
log "$d/bird.log" all;
protocol device {}
protocol static s4 { ipv4; route 198.51.100.0/24 blackhole; route 203.0.113.0/25 blackhole; }
protocol static s6 { ipv6; route 2001:db8:100::/48 blackhole; }
filter fixture_tags {
  bgp_med = 50;
  bgp_community.add((65000, 100));
  bgp_community.add((65535, 65281));
  bgp_ext_community.add((rt, 65000, 1));
  bgp_large_community.add((4200000001, 1, 2));
  accept;
}
protocol bgp peer {
  local 192.0.2.1 as 4200000001;
  neighbor 192.0.2.2 as 65002;
  hold time 90;
  connect delay time 1;
  connect retry time 2;
  error wait time 1, 2;
  enable extended messages on;
  ipv4 { import all; export filter fixture_tags; next hop self; add paths tx; };
  ipv6 { import all; export filter fixture_tags; next hop address 2001:db8::1; };
}
EOF
  start_peer bird add-path
  ip netns exec "$NS_D" setsid bird -f -c "$d/bird.conf" -s "$d/bird.ctl" -P "$d/bird.pid" >"$d/stdout" 2>&1 &
  PIDS+=($!)
  exchange bird "birdc -s '$d/bird.ctl' reload in peer >/dev/null" \
    "birdc -s '$d/bird.ctl' disable peer '\"Herald fixture: planned maintenance\"' >/dev/null"
  stop_all
  write_fixtures bird "$version" "BIRD $version, local AS 4200000001, ADD-PATH tx for IPv4 unicast, extended messages"
}

# ------------------------------------------------------------------ FRR bgpd

capture_frr() {
  local d="$WORK/frr" version
  version=$(/usr/lib/frr/bgpd --version 2>&1 | awk 'NR==1 {print $3}')
  mkdir -p "$d"
  cat >"$d/bgpd.conf" <<EOF
frr defaults traditional
hostname hcap
route-map TAG permit 10
 set metric 50
 set community 65000:100 graceful-shutdown
 set extcommunity rt 65000:1
 set large-community 4200000002:1:2
exit
router bgp 4200000002
 bgp router-id 192.0.2.1
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor 192.0.2.2 remote-as 65002
 neighbor 192.0.2.2 timers connect 1
 neighbor 192.0.2.2 advertisement-interval 0
 neighbor 192.0.2.2 capability extended-nexthop
 address-family ipv4 unicast
  network 198.51.100.0/24 route-map TAG
  network 203.0.113.0/25 route-map TAG
 exit-address-family
 address-family ipv6 unicast
  network 2001:db8:100::/48 route-map TAG
  neighbor 192.0.2.2 activate
 exit-address-family
exit
EOF
  echo 'hostname hcap' >"$d/zebra.conf"
  chown -R frr:frr "$d"
  start_peer frr old
  # zebra tells bgpd about interfaces and addresses, which it needs to pick next hops to announce.
  ip netns exec "$NS_D" setsid /usr/lib/frr/zebra -f "$d/zebra.conf" -i "$d/zebra.pid" -z "$d/zserv.api" \
    --vty_socket "$d" -u frr -g frr --log "file:$d/zebra.log" >"$d/zebra.stdout" 2>&1 &
  PIDS+=($!)
  sleep 1
  ip netns exec "$NS_D" setsid /usr/lib/frr/bgpd -f "$d/bgpd.conf" -i "$d/bgpd.pid" -z "$d/zserv.api" \
    --vty_socket "$d" -u frr -g frr --log "file:$d/bgpd.log" >"$d/stdout" 2>&1 &
  PIDS+=($!)
  local vtysh="ip netns exec $NS_D vtysh --vty_socket $d -d bgpd"
  exchange frr "$vtysh -c 'clear bgp 192.0.2.2 soft in' >/dev/null" \
    "$vtysh -c 'configure terminal' -c 'router bgp 4200000002' -c 'neighbor 192.0.2.2 shutdown message Herald fixture: planned maintenance' >/dev/null"
  stop_all
  if grep -qi 'unknown command\|no such command' "$d/bgpd.log" 2>/dev/null; then log "FRR config errors:"; grep -i command "$d/bgpd.log" >&2; fi
  write_fixtures frr "$version" "FRR bgpd $version, local AS 4200000002, peer without the 4-octet AS capability (AS_TRANS, AS4_PATH)"
}

# ------------------------------------------------------------------ GoBGP

capture_gobgp() {
  local d="$WORK/gobgp" version
  version=$(gobgpd --version 2>&1 | awk '{print $3}')
  mkdir -p "$d"
  cat >"$d/gobgpd.toml" <<EOF
[global.config]
  as = 65001
  router-id = "192.0.2.1"
  local-address-list = ["192.0.2.1"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "192.0.2.2"
    peer-as = 65002
  [neighbors.timers.config]
    connect-retry = 1
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-unicast"
EOF
  local cli="ip netns exec $NS_D gobgp --target unix://$d/gobgp.sock"
  start_peer gobgp new
  ip netns exec "$NS_D" setsid gobgpd -f "$d/gobgpd.toml" --api-hosts "unix://$d/gobgp.sock" -p \
    --pprof-disable >"$d/gobgpd.log" 2>&1 &
  PIDS+=($!)
  local tries=0
  until $cli global rib -a ipv4 add 198.51.100.0/24 nexthop 192.0.2.1 med 50 \
    community 65000:100,65535:666 large-community 4200000001:1:2 aggregator 65001:192.0.2.1 >/dev/null 2>&1; do
    tries=$((tries + 1)); [ $tries -lt 50 ] || { log "gobgp API not reachable"; return 1; }; sleep 0.2
  done
  $cli global rib -a ipv6 add 2001:db8:100::/48 nexthop 2001:db8::1 med 50 community 65000:100 \
    large-community 4200000001:1:2 >/dev/null
  # GoBGP 3.10 does not advertise the Route Refresh capability by default, so it sends no ROUTE-REFRESH.
  exchange gobgp "" \
    "$cli neighbor 192.0.2.2 reset --reason 'Herald fixture: planned maintenance' >/dev/null"
  stop_all
  write_fixtures gobgp "$version" "GoBGP gobgpd $version, local AS 65001"
}

# ------------------------------------------------------------------ ExaBGP

capture_exabgp() {
  local d="$WORK/exabgp" version
  version=$(exabgp --version 2>&1 | awk '/ExaBGP/ {print $3}')
  mkdir -p "$d"
  cat >"$d/exabgp.conf" <<EOF
neighbor 192.0.2.2 {
  router-id 192.0.2.1;
  local-address 192.0.2.1;
  local-as 65001;
  peer-as 65002;
  hold-time 90;
  family { ipv4 unicast; ipv6 unicast; }
  capability { route-refresh; graceful-restart 120; }
  static {
    route 198.51.100.0/24 next-hop 192.0.2.1 med 50 community [ 65000:100 no-export ] extended-community [ target:65000:1 ] large-community [ 4200000001:1:2 ];
    route 2001:db8:100::/48 next-hop 2001:db8::1 med 50 community [ 65000:100 ] large-community [ 4200000001:1:2 ];
  }
}
EOF
  start_peer exabgp new
  ip netns exec "$NS_D" env exabgp.daemon.user=root exabgp.daemon.daemonize=false exabgp.tcp.bind= \
    "exabgp.log.destination=$d/exabgp.log" exabgp.api.cli=false \
    setsid exabgp "$d/exabgp.conf" >"$d/stdout" 2>&1 &
  PIDS+=($!)
  # ExaBGP 4.2.21 drops the session on a received ROUTE-REFRESH ("'RouteRefresh' object is not
  # iterable" in its reactor), so it is not asked for one.
  exchange exabgp "" "" no
  stop_all
  write_fixtures exabgp "$version" "ExaBGP $version, local AS 65001 (NOTIFICATION provoked by a zero Marker)"
}

mkdir -p "$OUT"
for daemon in "${@:-bird frr gobgp exabgp}"; do
  for one in $daemon; do
    log "capturing $one"
    "capture_$one"
  done
done
