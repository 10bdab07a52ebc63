// How backups are shown to the player: "Jan 22, 2026 3:45 PM", "245 KB".
import { Platform } from "../core/platform";

/** "Jan 22, 2026 3:45 PM" (no leading zeros on the day or the hour). */
export function formatTime(platform: Platform, t: number): string {
  if (typeof t !== "number") return "?";
  const s = platform.formatDate("%b|%d|%Y|%I|%M|%p", t);
  const parts: string[] = [];
  let n = 0;
  let start = 0;
  let bar = s.indexOf("|");
  while (bar >= 0) {
    parts[n] = s.substring(start, bar);
    n++;
    start = bar + 1;
    bar = s.indexOf("|", start);
  }
  parts[n] = s.substring(start);
  n++;
  if (n !== 6) return s;
  return parts[0] + " " + Number(parts[1]) + ", " + parts[2] + " " + Number(parts[3]) + ":" + parts[4] + " " + parts[5];
}

/** "512 bytes", "1.5 KB", "245 KB", "1.2 MB". */
export function formatSize(bytes: number): string {
  if (typeof bytes !== "number") return "?";
  if (bytes < 1024) return Math.floor(bytes) + " bytes";
  const kb = bytes / 1024;
  if (kb < 10) return Math.floor(kb * 10 + 0.5) / 10 + " KB";
  if (kb < 1024) return Math.floor(kb + 0.5) + " KB";
  return Math.floor((kb / 1024) * 10 + 0.5) / 10 + " MB";
}
