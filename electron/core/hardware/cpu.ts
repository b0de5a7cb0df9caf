// CPU names as people know them: "AMD Ryzen 7 7700X", not "AMD Ryzen 7 7700X 8-Core Processor".
export function cleanCpuBrand(manufacturer: string, brand: string): string {
  let name = brand
    .replace(/\((R|TM|C)\)|[®™©]/gi, '')
    .replace(/\bCPU\b/g, '')
    .replace(/\s+\d+-Core Processor\b/i, '')
    .replace(/\s*@\s*[\d.]+\s*GHz\b/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  const maker = manufacturer.trim();
  if (maker && !name.toLowerCase().startsWith(maker.toLowerCase())) name = `${maker} ${name}`;
  return name || 'Unknown CPU';
}
