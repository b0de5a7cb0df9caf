export { openDatabase, type Db } from './open-database.js';
export { MIGRATIONS, type Migration } from './migrations.js';
