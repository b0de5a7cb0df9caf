export { openDatabase, type Db } from './open-database.js';
export { MIGRATIONS, type Migration } from './migrations.js';
export { isDiskFullError, toDiskFullError, diskFullFromText, mapDiskFull, freeBytesAt, ensureDiskReserve, releaseDiskReserve, DiskReserve, type DiskFullContext } from './disk-full.js';
