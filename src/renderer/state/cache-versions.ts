import { create } from 'zustand';

interface CacheVersionsState {
  /** Bumped per entity when main's cache changes: views that read it fetch again. */
  versions: Record<string, number>;
  bump(entities: readonly string[]): void;
}

export const useCacheVersions = create<CacheVersionsState>((set) => ({
  versions: {},
  bump: (entities) =>
    set((s) => {
      const versions = { ...s.versions };
      for (const entity of entities) versions[entity] = (versions[entity] ?? 0) + 1;
      return { versions };
    }),
}));

/** The version of one cached entity: use it as an effect dependency to refetch when it changes. */
export const useCacheVersion = (entity: string) => useCacheVersions((s) => s.versions[entity] ?? 0);
