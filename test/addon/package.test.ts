// `npm run package` gives a zip whose one folder is exactly the built addon.
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";

const { packageAddon, crc32 } = require("../../scripts/package.js");
const ROOT = path.join(__dirname, "..", "..");

function readZip(buf: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    const nameLen = buf.readUInt16LE(at + 28);
    const name = buf.toString("utf8", at + 46, at + 46 + nameLen);
    const crc = buf.readUInt32LE(at + 16);
    const compressed = buf.readUInt32LE(at + 20);
    const local = buf.readUInt32LE(at + 42);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = zlib.inflateRawSync(buf.subarray(dataAt, dataAt + compressed));
    expect(crc32(data)).toBe(crc);
    files.set(name, data);
    at += 46 + nameLen + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return files;
}

test("the package is a versioned zip of the OGRH_Sync folder, byte for byte", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const target: string = packageAddon();
  expect(path.basename(target)).toBe("OGRH_Sync-" + pkg.version + ".zip");
  const files = readZip(fs.readFileSync(target));
  const dist = path.join(ROOT, "dist", "OGRH_Sync");
  expect([...files.keys()].sort()).toEqual(fs.readdirSync(dist).sort().map((f) => "OGRH_Sync/" + f));
  for (const [name, data] of files) {
    expect(data.equals(fs.readFileSync(path.join(dist, path.basename(name))))).toBe(true);
  }
  const toc = files.get("OGRH_Sync/OGRH_Sync.toc")!.toString("utf8");
  expect(toc).toContain("## Interface: 11200");
  expect(toc).toContain("## Version: " + pkg.version);
  expect(toc).toContain("## SavedVariables: OGRH_Sync_SV, OGRH_Sync_Backups");
});
