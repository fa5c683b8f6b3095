/**
 * A set of non-negative bigint offsets stored as maximal, disjoint, non-adjacent intervals in an AVL tree
 * keyed by interval start. Adjacent members always coalesce, so a block filled from the bottom is one
 * node, and the lowest absent offset is read off the leftmost interval: O(log n) for add, delete, has and
 * lowestAbsent, where n is the number of intervals (at most the number of members). Pure.
 */

interface Node {
  lo: bigint;
  hi: bigint;
  left: Node | undefined;
  right: Node | undefined;
  height: number;
}

function height(n: Node | undefined): number {
  return n === undefined ? 0 : n.height;
}

function update(n: Node): void {
  const l = height(n.left);
  const r = height(n.right);
  n.height = (l > r ? l : r) + 1;
}

function rotateRight(n: Node): Node {
  const l = n.left!;
  n.left = l.right;
  l.right = n;
  update(n);
  update(l);
  return l;
}

function rotateLeft(n: Node): Node {
  const r = n.right!;
  n.right = r.left;
  r.left = n;
  update(n);
  update(r);
  return r;
}

function balance(n: Node): Node {
  update(n);
  const diff = height(n.left) - height(n.right);
  if (diff > 1) {
    if (height(n.left!.left) < height(n.left!.right)) n.left = rotateLeft(n.left!);
    return rotateRight(n);
  }
  if (diff < -1) {
    if (height(n.right!.right) < height(n.right!.left)) n.right = rotateRight(n.right!);
    return rotateLeft(n);
  }
  return n;
}

function insertNode(root: Node | undefined, node: Node): Node {
  if (root === undefined) return node;
  if (node.lo < root.lo) root.left = insertNode(root.left, node);
  else root.right = insertNode(root.right, node);
  return balance(root);
}

/** Removes the leftmost node of a subtree; returns the new subtree root and the detached node. */
function detachMin(root: Node): { rest: Node | undefined; min: Node } {
  if (root.left === undefined) return { rest: root.right, min: root };
  const { rest, min } = detachMin(root.left);
  root.left = rest;
  return { rest: balance(root), min };
}

function removeKey(root: Node | undefined, lo: bigint): Node | undefined {
  if (root === undefined) return undefined;
  if (lo < root.lo) root.left = removeKey(root.left, lo);
  else if (lo > root.lo) root.right = removeKey(root.right, lo);
  else {
    if (root.left === undefined) return root.right;
    if (root.right === undefined) return root.left;
    const { rest, min } = detachMin(root.right);
    min.left = root.left;
    min.right = rest;
    return balance(min);
  }
  return balance(root);
}

/** The node with the greatest start <= x. */
function floorNode(root: Node | undefined, x: bigint): Node | undefined {
  let best: Node | undefined;
  let n = root;
  while (n !== undefined) {
    if (n.lo <= x) {
      best = n;
      n = n.right;
    } else n = n.left;
  }
  return best;
}

/** The node with the smallest start > x. */
function higherNode(root: Node | undefined, x: bigint): Node | undefined {
  let best: Node | undefined;
  let n = root;
  while (n !== undefined) {
    if (n.lo > x) {
      best = n;
      n = n.left;
    } else n = n.right;
  }
  return best;
}

function newNode(lo: bigint, hi: bigint): Node {
  return { lo, hi, left: undefined, right: undefined, height: 1 };
}

export class IntervalSet {
  private root: Node | undefined;
  private members = 0;
  private nodes = 0;

  /** Number of members (offsets), not intervals. */
  get size(): number {
    return this.members;
  }

  /** Number of stored intervals (for tests and memory accounting). */
  get intervalCount(): number {
    return this.nodes;
  }

  has(x: bigint): boolean {
    const f = floorNode(this.root, x);
    return f !== undefined && f.hi >= x;
  }

  /** Adds x; false when it was already a member. */
  add(x: bigint): boolean {
    const f = floorNode(this.root, x);
    if (f !== undefined && f.hi >= x) return false;
    const c = higherNode(this.root, x);
    const joinLeft = f !== undefined && f.hi + 1n === x;
    const joinRight = c !== undefined && c.lo === x + 1n;
    if (joinLeft && joinRight) {
      f.hi = c.hi;
      this.root = removeKey(this.root, c.lo);
      this.nodes--;
    } else if (joinLeft) f.hi = x;
    // Lowering c's start keeps the order: no interval starts between f.hi + 1 and c.lo.
    else if (joinRight) c.lo = x;
    else {
      this.root = insertNode(this.root, newNode(x, x));
      this.nodes++;
    }
    this.members++;
    return true;
  }

  /** Deletes x; false when it was not a member. */
  delete(x: bigint): boolean {
    const f = floorNode(this.root, x);
    if (f === undefined || f.hi < x) return false;
    if (f.lo === f.hi) {
      this.root = removeKey(this.root, f.lo);
      this.nodes--;
    } else if (x === f.lo) f.lo = x + 1n;
    else if (x === f.hi) f.hi = x - 1n;
    else {
      const oldHi = f.hi;
      f.hi = x - 1n;
      this.root = insertNode(this.root, newNode(x + 1n, oldHi));
      this.nodes++;
    }
    this.members--;
    return true;
  }

  /** The smallest offset in [0, limit) that is not a member, or undefined when all are taken. */
  lowestAbsent(limit: bigint): bigint | undefined {
    let n = this.root;
    if (n === undefined) return limit > 0n ? 0n : undefined;
    while (n.left !== undefined) n = n.left;
    const candidate = n.lo > 0n ? 0n : n.hi + 1n;
    return candidate < limit ? candidate : undefined;
  }

  /** Intervals in ascending order, as [lo, hi] pairs (tests and diagnostics). */
  *intervals(): Generator<readonly [bigint, bigint]> {
    const stack: Node[] = [];
    let n = this.root;
    while (n !== undefined || stack.length > 0) {
      while (n !== undefined) {
        stack.push(n);
        n = n.left;
      }
      const top = stack.pop()!;
      yield [top.lo, top.hi];
      n = top.right;
    }
  }

  /** Tree height (tests check the AVL bound). */
  get depth(): number {
    return height(this.root);
  }
}
