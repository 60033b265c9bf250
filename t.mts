import { PGlite } from "@electric-sql/pglite";
let t = Date.now(); const lap = (s: string) => { console.log(s, Date.now() - t); t = Date.now(); };
const a = await PGlite.create(); lap("create1");
const b = await PGlite.create(); lap("create2");
await a.exec("create table x(id int)");
const dump = await a.dumpDataDir("none"); lap("dump " + dump.size);
const c = await PGlite.create({ loadDataDir: dump }); lap("load");
console.log((await c.query("select count(*) from x")).rows);
const d = await PGlite.create({ loadDataDir: dump }); lap("load2");
