// Memory bandwidth of known GPUs, by name. Token generation reads every weight once per token,
// so it is bound by this figure (see models/speed-estimate.ts). Vendors' published peak
// figures (GB/s = 10^9 bytes/s):
//   NVIDIA: the "Memory Bandwidth" row of each card's spec page on nvidia.com (GeForce 50/40/30/20
//           series "full specs", data-center datasheets for A100/H100/L4/L40S/T4/V100/A10);
//           GB10 (DGX Spark) 273 GB/s LPDDR5x.
//   AMD:    amd.com product specifications ("Memory Bandwidth" or "Effective Memory Bandwidth";
//           for RDNA2/3 this page lists the peak GDDR6 figure, used here, not the Infinity Cache one).
//   Apple:  apple.com newsroom launch notes ("M2 Pro … 200GB/s of unified memory bandwidth …
//           M2 Max … 400GB/s"), the same for M1–M4; the lowest bin where one chip has two.
// Cross-checked against the table of llmfit (github.com/AlexsJones/llmfit PR #137,
// "bandwidth-based tok/s estimation for known GPUs").

export interface KnownBandwidth {
  bytesPerSecond: number;
  /** "NVIDIA GeForce RTX 4090: 1008 GB/s (vendor spec)". */
  detail: string;
}

/** [pattern in the normalized name, GB/s]. Longer, more specific names come first. */
const TABLE: Array<[RegExp, number]> = [
  // NVIDIA GeForce 50
  [/rtx 5090/, 1792],
  [/rtx 5080/, 960],
  [/rtx 5070 ti/, 896],
  [/rtx 5070/, 672],
  [/rtx 5060 ti/, 448],
  [/rtx 5060/, 448],
  // NVIDIA GeForce 40
  [/rtx 4090 d/, 1008],
  [/rtx 4090/, 1008],
  [/rtx 4080 super/, 736],
  [/rtx 4080/, 717],
  [/rtx 4070 ti super/, 672],
  [/rtx 4070 ti/, 504],
  [/rtx 4070 super/, 504],
  [/rtx 4070/, 504],
  [/rtx 4060 ti/, 288],
  [/rtx 4060/, 272],
  // NVIDIA GeForce 30
  [/rtx 3090 ti/, 1008],
  [/rtx 3090/, 936],
  [/rtx 3080 ti/, 912],
  [/rtx 3080/, 760],
  [/rtx 3070 ti/, 608],
  [/rtx 3070/, 448],
  [/rtx 3060 ti/, 448],
  [/rtx 3060/, 360],
  [/rtx 3050/, 224],
  // NVIDIA GeForce 20 / 16 / 10
  [/titan rtx/, 672],
  [/rtx 2080 ti/, 616],
  [/rtx 2080 super/, 496],
  [/rtx 2080/, 448],
  [/rtx 2070/, 448],
  [/rtx 2060/, 336],
  [/gtx 1660 ti/, 288],
  [/gtx 1660/, 192],
  [/gtx 1650/, 128],
  [/gtx 1080 ti/, 484],
  [/gtx 1080/, 320],
  [/gtx 1070/, 256],
  [/gtx 1060/, 192],
  // NVIDIA workstation / data center
  [/rtx pro 6000/, 1792],
  [/rtx 6000 ada/, 960],
  [/rtx a6000/, 768],
  [/rtx a5000/, 768],
  [/rtx a4000/, 448],
  [/h200/, 4800],
  [/h100.*(sxm|hbm3)/, 3350],
  [/h100/, 2000],
  [/a100.*80/, 2039],
  [/a100/, 1555],
  [/l40s/, 864],
  [/l40/, 864],
  [/a10g/, 600],
  [/\ba10\b/, 600],
  [/\bl4\b/, 300],
  [/\bt4\b/, 320],
  [/v100/, 900],
  [/p100/, 732],
  [/p40/, 347],
  [/gb10/, 273],
  // AMD Radeon
  [/rx 9070 xt/, 640],
  [/rx 9070/, 640],
  [/rx 7900 xtx/, 960],
  [/rx 7900 xt/, 800],
  [/rx 7900 gre/, 576],
  [/rx 7800 xt/, 624],
  [/rx 7700 xt/, 432],
  [/rx 7600/, 288],
  [/rx 6950 xt/, 576],
  [/rx 6900 xt/, 512],
  [/rx 6800/, 512],
  [/rx 6750 xt/, 432],
  [/rx 6700 xt/, 384],
  [/rx 6600/, 224],
  [/pro w7900/, 864],
  [/pro w7800/, 576],
  [/mi300x/, 5300],
  [/mi250/, 3277],
  [/mi210/, 1638],
  [/mi100/, 1229],
  // Apple (unified memory: the same figure serves CPU and GPU)
  [/m4 max/, 410],
  [/m4 pro/, 273],
  [/\bm4\b/, 120],
  [/m3 ultra/, 819],
  [/m3 max/, 300],
  [/m3 pro/, 150],
  [/\bm3\b/, 100],
  [/m2 ultra/, 800],
  [/m2 max/, 400],
  [/m2 pro/, 200],
  [/\bm2\b/, 100],
  [/m1 ultra/, 800],
  [/m1 max/, 400],
  [/m1 pro/, 200],
  [/\bm1\b/, 68],
];

/** Laptop parts of the same name run their memory slower and often on a narrower bus. */
const LAPTOP_SHARE = 0.6;

function normalize(name: string): string {
  return name
    .toLowerCase()
    .replace(/\((tm|r)\)|™|®/g, '')
    .replace(/\b(nvidia|geforce|amd|radeon|apple|tesla)\b/g, ' ')
    .replace(/[-_]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The vendor's peak bandwidth for a GPU by name; null for a card not in the table. */
export function knownGpuBandwidth(name: string): KnownBandwidth | null {
  const n = normalize(name);
  const hit = TABLE.find(([re]) => re.test(n));
  if (!hit) return null;
  const laptop = /laptop|mobile|max q/.test(n);
  const gbps = laptop ? Math.round(hit[1] * LAPTOP_SHARE) : hit[1];
  return {
    bytesPerSecond: gbps * 1e9,
    detail: laptop ? `${name}: about ${gbps} GB/s (the desktop part's ${hit[1]} GB/s × ${LAPTOP_SHARE}; laptop memory runs slower)` : `${name}: ${gbps} GB/s (vendor spec)`,
  };
}
