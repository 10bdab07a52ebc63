// The window's main states, shared by scripts/screenshots.js (pictures for docs/) and the tests
// that check each state renders without errors.
import type { Client, Raid } from "../harness/raid";

export interface UiState {
  name: string;
  title: string;
  size?: number;
  /** Brings the raid into the state; returns the client whose screen is drawn. */
  setup: (raid: Raid) => Client;
}

export const states: UiState[] = [
  {
    name: "open",
    title: "The window as /ogrh data opens it",
    setup: (raid) => {
      raid.leader.slash("/ogrh data");
      return raid.leader;
    },
  },
  {
    name: "backups-empty",
    title: "The Backups tab",
    setup: (raid) => {
      raid.leader.slash("/ogrh data backups");
      return raid.leader;
    },
  },
];
