// Pure formatting shared by rollback (chat lines, export headers, ListBackups) and the Data
// Management window: dates "Jan 22, 2026 3:45 PM", sizes "245 KB", transfer estimates. Runs the
// same in Node and in Lua 5.0 (no client globals; the caller supplies the clock's date function).

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Payload bytes per second the throttle model allows (docs/platform.md: 254-byte messages at 800 cost/s). */
export const PAYLOAD_BYTES_PER_SECOND = 650;

/** The date(...) format whose output formatStamp reads. */
export const STAMP_FORMAT = "%Y-%m-%d %H:%M";

function pad2(n: number): string {
  return n < 10 ? "0" + n : "" + n;
}

/**
 * "2026-01-22 15:45" (what date("%Y-%m-%d %H:%M", t) gives) becomes "Jan 22, 2026 3:45 PM".
 * Text that is not in that form comes back unchanged.
 */
export function formatStamp(stamp: string): string {
  if (stamp.length < 16 || stamp.charAt(4) !== "-" || stamp.charAt(7) !== "-" || stamp.charAt(13) !== ":") return stamp;
  const year = Number(stamp.substring(0, 4));
  const month = Number(stamp.substring(5, 7));
  const day = Number(stamp.substring(8, 10));
  const hour = Number(stamp.substring(11, 13));
  const minute = Number(stamp.substring(14, 16));
  if (!(month >= 1 && month <= 12) || !(day >= 1) || !(hour >= 0 && hour <= 23) || !(minute >= 0 && minute <= 59) || !(year >= 0)) return stamp;
  const suffix = hour < 12 ? "AM" : "PM";
  let h12 = hour % 12;
  if (h12 === 0) h12 = 12;
  return MONTHS[month - 1] + " " + day + ", " + year + " " + h12 + ":" + pad2(minute) + " " + suffix;
}

/** An epoch time in the client's local time zone, as "Jan 22, 2026 3:45 PM". */
export function formatTimestamp(epoch: number, formatDate: (format: string, t: number) => string): string {
  if (typeof epoch !== "number") return "?";
  return formatStamp(formatDate(STAMP_FORMAT, epoch));
}

function roundTo(x: number, decimals: number): number {
  const f = decimals === 0 ? 1 : 10;
  return Math.floor(x * f + 0.5) / f;
}

/** 512 -> "512 B", 4300 -> "4.2 KB", 250880 -> "245 KB", 3400000 -> "3.2 MB". */
export function formatSize(bytes: number): string {
  if (typeof bytes !== "number" || !(bytes >= 0)) return "?";
  if (bytes < 1024) return Math.floor(bytes) + " B";
  const kb = bytes / 1024;
  if (kb < 10) return roundTo(kb, 1) + " KB";
  if (kb < 1023.5) return roundTo(kb, 0) + " KB";
  const mb = kb / 1024;
  return roundTo(mb, mb < 10 ? 1 : 0) + " MB";
}

/** Seconds to move `bytes` of payload through the throttle (at least 1 s for anything). */
export function transferSeconds(bytes: number, rate = PAYLOAD_BYTES_PER_SECOND): number {
  if (!(bytes > 0)) return 0;
  return Math.max(1, Math.ceil(bytes / rate));
}

/** 0 -> "0 s", 45 -> "45 s", 77 -> "1 min 17 s", 120 -> "2 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return s + " s";
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  return rest === 0 ? m + " min" : m + " min " + rest + " s";
}

/** The progress line: "1.2 KB of ~3.4 KB, about 4 s left" (total unknown: "1.2 KB received"). */
export function formatProgress(done: number, total: number | undefined, rate = PAYLOAD_BYTES_PER_SECOND): string {
  if (total === undefined || !(total > 0)) return formatSize(done) + " received";
  const left = Math.max(0, total - done);
  return formatSize(Math.min(done, total)) + " of ~" + formatSize(total) + ", about " + formatDuration(left / rate) + " left";
}

/** Fraction 0..1 for a progress bar. */
export function progressFraction(done: number, total: number | undefined): number {
  if (total === undefined || !(total > 0)) return 0;
  return Math.max(0, Math.min(1, done / total));
}
