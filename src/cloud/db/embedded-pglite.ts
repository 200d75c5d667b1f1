import { PGlite, types, type PGliteOptions } from '@electric-sql/pglite';

/**
 * PostgreSQL's built-in array types, as [element type OID, array type OID]. OIDs below 10,000 are
 * assigned by hand in PostgreSQL's catalogue and never change between versions (drivers such as
 * node-postgres hard-code them too). The test beside this file checks the list against the
 * catalogue of the PGlite shipped, with every migration applied.
 */
export const BUILTIN_ARRAY_TYPES: ReadonlyArray<readonly [element: number, array: number]> = [
  [16, 1000], [17, 1001], [18, 1002], [19, 1003], [20, 1016], [21, 1005], [22, 1006], [23, 1007],
  [24, 1008], [25, 1009], [26, 1028], [27, 1010], [28, 1011], [29, 1012], [30, 1013], [71, 210],
  [75, 270], [81, 272], [83, 273], [114, 199], [142, 143], [600, 1017], [601, 1018], [602, 1019],
  [603, 1020], [604, 1027], [628, 629], [650, 651], [700, 1021], [701, 1022], [718, 719],
  [774, 775], [790, 791], [829, 1040], [869, 1041], [1033, 1034], [1042, 1014], [1043, 1015],
  [1082, 1182], [1083, 1183], [1114, 1115], [1184, 1185], [1186, 1187], [1266, 1270],
  [1560, 1561], [1562, 1563], [1700, 1231], [1790, 2201], [2202, 2207], [2203, 2208],
  [2204, 2209], [2205, 2210], [2206, 2211], [2275, 1263], [2950, 2951], [2970, 2949],
  [3220, 3221], [3614, 3643], [3615, 3645], [3642, 3644], [3734, 3735], [3769, 3770],
  [3802, 3807], [3904, 3905], [3906, 3907], [3908, 3909], [3910, 3911], [3912, 3913],
  [3926, 3927], [4072, 4073], [4089, 4090], [4096, 4097], [4191, 4192], [4451, 6150],
  [4532, 6151], [4533, 6152], [4534, 6153], [4535, 6155], [4536, 6157], [5038, 5039],
  [5069, 271],
];

/**
 * The embedded database's PGlite: as PGlite, but its start does not ask the catalogue for the array
 * types. PGlite runs that query (a join over pg_type) as the first of every start, ~120 ms of the
 * worker's thread on the way to "Ready for calls", most of it warming paths no other start query
 * uses (issue #21). The parsers and serializers it would make are made from BUILTIN_ARRAY_TYPES:
 * the schema creates no types of its own, and arrays of table rows are never read.
 * `refreshArrayTypes()` still asks the catalogue.
 */
class EmbeddedPglite extends PGlite {
  override async _initArrayTypes(options: { force?: boolean } = {}): Promise<void> {
    if (options.force) return super._initArrayTypes(options);
    for (const [element, array] of BUILTIN_ARRAY_TYPES) {
      this.serializers[array] = (value: unknown) => types.arraySerializer(value, this.serializers[element], array);
      this.parsers[array] = (text: string) => types.arrayParser(text, this.parsers[element]!, array);
    }
  }
}

/** Opens the embedded database's PGlite (PGlite.create's work, with EmbeddedPglite's start). */
export async function openEmbeddedPglite(options: PGliteOptions): Promise<PGlite> {
  const db = new EmbeddedPglite(options);
  await db.waitReady;
  return db;
}
