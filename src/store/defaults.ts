// The shipping plan: MC, Onyxia, BWL, ZG, AQ20, AQ40 and Naxxramas with their boss encounters, each
// with roles (two columns), raid marks for the tank slots and announcement lines using the
// [R<role>.T] / [R<role>.P<slot>] tags. Player assignments start empty (made per raid night).
// buildDefaults() returns fresh tables on every call.

type Kind = "tanks" | "healers" | "melee" | "ranged" | "dps";
/** name, slots, kind; a role whose kind is "tanks" gets raid marks 8, 7, 6, ... on its slots. */
type RoleSpec = [string, number, Kind];

interface EncounterSpec {
  name: string;
  /** The boss name BigWigs reports. */
  boss: string;
  /** Roles after the standard Main Tank / Healers pair, split over the two columns. */
  roles: RoleSpec[];
  /** Extra announcement line. */
  note?: string;
}

interface RaidSpec {
  name: string;
  zone: string;
  size: number;
  encounters: EncounterSpec[];
}

function e(name: string, boss: string, roles: RoleSpec[], note?: string): EncounterSpec {
  return { name, boss, roles, note };
}

const OT: RoleSpec = ["Off Tanks", 2, "tanks"];
const DPS: RoleSpec = ["DPS", 8, "dps"];
const DECURSE: RoleSpec = ["Decursers", 4, "dps"];
const DISPEL: RoleSpec = ["Dispellers", 4, "healers"];
const TRANQ: RoleSpec = ["Tranquilizing Shot", 3, "ranged"];
const FEAR_WARD: RoleSpec = ["Fear Ward", 1, "healers"];

const RAIDS: RaidSpec[] = [
  {
    name: "MC", zone: "Molten Core", size: 40, encounters: [
      e("Lucifron", "Lucifron", [["Add Tanks", 2, "tanks"], DECURSE, DISPEL, DPS]),
      e("Magmadar", "Magmadar", [TRANQ, FEAR_WARD, DPS], "Tranq rotation: [R3.P1] > [R3.P2] > [R3.P3]"),
      e("Gehennas", "Gehennas", [["Add Tanks", 2, "tanks"], DECURSE, DPS]),
      e("Garr", "Garr", [["Add Tanks", 6, "tanks"], ["Banish", 2, "ranged"], DPS]),
      e("Baron Geddon", "Baron Geddon", [DISPEL, DPS], "Living Bomb: run out, do not bomb the raid."),
      e("Shazzrah", "Shazzrah", [OT, DPS]),
      e("Sulfuron Harbinger", "Sulfuron Harbinger", [["Priest Tanks", 4, "tanks"], ["Kickers", 4, "melee"], DPS]),
      e("Golemagg", "Golemagg the Incinerator", [["Core Rager Tanks", 2, "tanks"], DPS]),
      e("Majordomo Executus", "Majordomo Executus", [["Add Tanks", 4, "tanks"], ["Sheep", 4, "ranged"], DPS]),
      e("Ragnaros", "Ragnaros", [OT, ["Melee DPS", 6, "melee"], ["Ranged DPS", 8, "ranged"]], "Knockback: melee out at [R4.T] call."),
    ],
  },
  {
    name: "Onyxia", zone: "Onyxia's Lair", size: 40, encounters: [
      e("Onyxia", "Onyxia", [["Whelp Tanks", 2, "tanks"], FEAR_WARD, DPS], "Phase 2: stay spread; Phase 3: fear ward [R1.P1]."),
    ],
  },
  {
    name: "BWL", zone: "Blackwing Lair", size: 40, encounters: [
      e("Razorgore", "Razorgore the Untamed", [["Near Side Tanks", 2, "tanks"], ["Orb Controller", 1, "dps"], ["Far Side Tanks", 2, "tanks"], DPS]),
      e("Vaelastrasz", "Vaelastrasz the Corrupt", [["Tank Rotation", 3, "tanks"], DPS], "Burning Adrenaline: run to [R3.T] and die there."),
      e("Broodlord", "Broodlord Lashlayer", [OT, DPS], "Keep tanks at the top of the threat meters."),
      e("Firemaw", "Firemaw", [["Tank Swap", 2, "tanks"], ["LOS Healers", 4, "healers"], DPS]),
      e("Ebonroc", "Ebonroc", [["Shadow Tanks", 2, "tanks"], DPS]),
      e("Flamegor", "Flamegor", [["Tranq Shot", 2, "ranged"], OT, DPS]),
      e("Chromaggus", "Chromaggus", [["Tranq Shot", 2, "ranged"], ["Hourglass Sand", 4, "healers"], DPS], "Open trade with [R4.P1] if you have less than 5 sand."),
      e("Nefarian", "Nefarian", [["Drakonid Tanks", 4, "tanks"], ["Class Call Watch", 2, "dps"], DPS]),
    ],
  },
  {
    name: "ZG", zone: "Zul'Gurub", size: 20, encounters: [
      e("Jeklik", "High Priestess Jeklik", [["Kickers", 3, "melee"], DPS]),
      e("Venoxis", "High Priest Venoxis", [["Snake Tanks", 2, "tanks"], DISPEL, DPS]),
      e("Mar'li", "High Priestess Mar'li", [["Spider Tanks", 2, "tanks"], DPS]),
      e("Mandokir", "Bloodlord Mandokir", [["Raptor Tank", 1, "tanks"], DPS], "Stop everything when he watches you."),
      e("Edge of Madness", "Gri'lek", [OT, DPS]),
      e("Thekal", "High Priest Thekal", [["Add Tanks", 2, "tanks"], DPS], "Kill Zath, Lor'Khan and Thekal together."),
      e("Gahz'ranka", "Gahz'ranka", [DPS]),
      e("Arlokk", "High Priestess Arlokk", [["Panther Tanks", 2, "tanks"], DPS]),
      e("Jin'do", "Jin'do the Hexxer", [["Totem Killers", 3, "ranged"], ["Shade Killers", 2, "dps"], DISPEL]),
      e("Hakkar", "Hakkar", [["Poison Providers", 2, "dps"], DPS], "Blood Siphon: be poisoned first."),
    ],
  },
  {
    name: "AQ20", zone: "Ruins of Ahn'Qiraj", size: 20, encounters: [
      e("Kurinnaxx", "Kurinnaxx", [["Tank Swap", 1, "tanks"], DPS]),
      e("General Rajaxx", "General Rajaxx", [["Wave Tanks", 3, "tanks"], DPS]),
      e("Moam", "Moam", [["Mana Drainers", 4, "ranged"], ["Elemental Banish", 2, "ranged"], DPS]),
      e("Buru", "Buru the Gorger", [["Egg Kiters", 2, "dps"], DPS]),
      e("Ayamiss", "Ayamiss the Hunter", [["Altar Watch", 2, "dps"], DPS]),
      e("Ossirian", "Ossirian the Unscarred", [["Crystal Runners", 2, "dps"], DPS]),
    ],
  },
  {
    name: "AQ40", zone: "Ahn'Qiraj", size: 40, encounters: [
      e("Skeram", "The Prophet Skeram", [["Left Tank", 1, "tanks"], ["Right Tank", 1, "tanks"], ["Sheep", 3, "ranged"], DPS]),
      e("Bug Trio", "Princess Yauj", [["Kri Tank", 1, "tanks"], ["Yauj Tank", 1, "tanks"], ["Interrupts", 3, "melee"], DPS]),
      e("Sartura", "Battleguard Sartura", [["Add Tanks", 3, "tanks"], ["Stunners", 3, "melee"], DPS]),
      e("Fankriss", "Fankriss the Unyielding", [["Worm Tanks", 2, "tanks"], DPS]),
      e("Viscidus", "Viscidus", [["Frost Casters", 6, "ranged"], ["Shatter Melee", 6, "melee"]], "Frost weapons and wands ready."),
      e("Huhuran", "Princess Huhuran", [["Nature Soakers", 6, "dps"], DPS], "Give the tank extra time for threat."),
      e("Twin Emperors", "Emperor Vek'lor", [["Vek'nilash Tanks", 2, "tanks"], ["Vek'lor Tanks", 2, "tanks"], DPS]),
      e("Ouro", "Ouro", [OT, DPS]),
      e("C'Thun", "C'Thun", [["Zone Leaders", 8, "dps"], ["Eye Killers", 4, "ranged"], DPS], "Stay in your zone: [R3.P1] .. [R3.P8]."),
    ],
  },
  {
    name: "Naxxramas", zone: "Naxxramas", size: 40, encounters: [
      e("Anub'Rekhan", "Anub'Rekhan", [["Crypt Guard Tanks", 2, "tanks"], DPS]),
      e("Faerlina", "Grand Widow Faerlina", [["Worshipper MC", 2, "healers"], ["Add Tanks", 2, "tanks"], DPS]),
      e("Maexxna", "Maexxna", [["Web Wrap Killers", 3, "ranged"], DPS]),
      e("Noth", "Noth the Plaguebringer", [DECURSE, ["Add Tanks", 2, "tanks"], DPS]),
      e("Heigan", "Heigan the Unclean", [DISPEL, DPS], "Dance: follow [R1.T]."),
      e("Loatheb", "Loatheb", [["Healing Rotation", 6, "healers"], ["Spore Groups", 5, "dps"], DPS]),
      e("Razuvious", "Instructor Razuvious", [["Mind Control", 2, "healers"], DPS]),
      e("Gothik", "Gothik the Harvester", [["Living Side", 3, "tanks"], ["Dead Side", 3, "tanks"], DPS]),
      e("Four Horsemen", "Thane Korth'azz", [["Thane Tanks", 2, "tanks"], ["Mograine Tanks", 2, "tanks"], ["Zeliek Tanks", 2, "tanks"], ["Blaumeux Tanks", 2, "tanks"], DPS]),
      e("Patchwerk", "Patchwerk", [["Hateful Strike Tanks", 3, "tanks"], DPS]),
      e("Grobbulus", "Grobbulus", [["Slime Tank", 1, "tanks"], DPS], "Mutating Injection: leave the raid to the side."),
      e("Gluth", "Gluth", [["Zombie Kiters", 2, "dps"], OT, DPS]),
      e("Thaddius", "Thaddius", [["Stalagg Tank", 1, "tanks"], ["Feugen Tank", 1, "tanks"], DPS], "Polarity: positive right, negative left."),
      e("Sapphiron", "Sapphiron", [["Frost Aura Healers", 4, "healers"], DPS], "Ice Block: hide behind the blocks."),
      e("Kel'Thuzad", "Kel'Thuzad", [["Add Tanks", 3, "tanks"], ["Interrupts", 4, "melee"], DPS]),
    ],
  },
];

function consumeTracking(): unknown {
  return { enabled: true, readyThreshold: 85, requiredFlaskRoles: { Tanks: false, Healers: false, Melee: false, Ranged: false } };
}

function makeRole(id: number, spec: RoleSpec): unknown {
  const defaultRoles: { [kind: string]: number } = {};
  defaultRoles[spec[2]] = 1;
  return { roleId: id, name: spec[0], slots: spec[1], fillOrder: id, defaultRoles };
}

export type Plan = { [key: string]: unknown };

/** A fresh copy of the shipping plan, in the current layout. */
export function buildDefaults(): Plan {
  const raids: { [name: string]: unknown } = {};
  const roles: { [raid: string]: unknown } = {};
  const marks: { [raid: string]: unknown } = {};
  const announcements: { [raid: string]: unknown } = {};
  for (const raid of RAIDS) {
    const encounters: unknown[] = [];
    const raidRoles: { [enc: string]: unknown } = {};
    const raidMarks: { [enc: string]: unknown } = {};
    const raidAnnouncements: { [enc: string]: unknown } = {};
    for (const enc of raid.encounters) {
      encounters.push({
        name: enc.name,
        advancedSettings: {
          bigwigs: { enabled: true, encounterId: enc.boss, autoAnnounce: false },
          consumeTracking: consumeTracking(),
        },
      });
      const specs: RoleSpec[] = [["Main Tank", 1, "tanks"], ["Healers", raid.size >= 40 ? 8 : 4, "healers"]];
      for (const spec of enc.roles) specs.push(spec);
      const column1: unknown[] = [];
      const column2: unknown[] = [];
      const encMarks: { [role: number]: unknown } = {};
      const lines: string[] = [];
      const half = Math.ceil(specs.length / 2);
      for (let i = 0; i < specs.length; i++) {
        const id = i + 1;
        const spec = specs[i];
        (i < half ? column1 : column2).push(makeRole(id, spec));
        if (spec[2] === "tanks") {
          const slotMarks: number[] = [];
          for (let s = 0; s < spec[1] && s < 8; s++) slotMarks.push(8 - s);
          encMarks[id] = slotMarks;
          lines.push("[R" + id + ".T] [R" + id + ".P]");
        }
      }
      lines.push("Healers: [R2.P]");
      if (enc.note !== undefined) lines.push(enc.note);
      raidRoles[enc.name] = { column1, column2 };
      raidMarks[enc.name] = encMarks;
      raidAnnouncements[enc.name] = lines;
    }
    raids[raid.name] = {
      name: raid.name,
      advancedSettings: {
        bigwigs: { enabled: true, raidZone: raid.zone, autoAnnounce: false },
        consumeTracking: consumeTracking(),
      },
      encounters,
    };
    roles[raid.name] = raidRoles;
    marks[raid.name] = raidMarks;
    announcements[raid.name] = raidAnnouncements;
  }
  return {
    encounterMgmt: { raids, roles },
    encounterAssignments: {},
    encounterRaidMarks: marks,
    encounterAssignmentNumbers: {},
    encounterAnnouncements: announcements,
    consumes: [
      { primaryId: 13461, primaryName: "Greater Arcane Protection Potion" },
      { primaryId: 13457, primaryName: "Greater Fire Protection Potion", secondaryId: 6049, secondaryName: "Fire Protection Potion" },
      { primaryId: 13456, primaryName: "Greater Frost Protection Potion", secondaryId: 6050, secondaryName: "Frost Protection Potion" },
      { primaryId: 13458, primaryName: "Greater Nature Protection Potion", secondaryId: 6052, secondaryName: "Nature Protection Potion" },
      { primaryId: 13459, primaryName: "Greater Shadow Protection Potion", secondaryId: 6048, secondaryName: "Shadow Protection Potion" },
    ],
    tradeItems: [
      { itemId: 19183, name: "Hourglass Sand", quantity: 5 },
      { itemId: 13457, name: "Greater Fire Protection Potion", quantity: 1 },
      { itemId: 22682, name: "Frozen Rune", quantity: 1 },
    ],
    rgo: { enabled: false, tanks: {}, healers: {}, melee: {}, ranged: {} },
  };
}

/** Names of the shipped raids, in display order. */
export function defaultRaidNames(): string[] {
  return RAIDS.map((r) => r.name);
}
