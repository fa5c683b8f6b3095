/** Every subcommand `herald` offers, in the order `herald --help` lists them. */
import { apiserverCommand } from './apiserver.js';
import type { Command } from './command.js';
import { controllerCommand } from './controller.js';
import { peerCheckCommand } from './peer-check.js';
import { speakerCommand } from './speaker.js';
import { validateCommand } from './validate.js';

export const COMMANDS: readonly Command[] = [
  validateCommand,
  peerCheckCommand,
  controllerCommand,
  speakerCommand,
  apiserverCommand,
];
