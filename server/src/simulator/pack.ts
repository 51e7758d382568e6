/** Loads what the simulator needs from a region pack (with progress.ts, the simulator's only I/O). */
import { readAllUnits, readCameras, readMembers, regionDir, type CityPack } from '@gridsight/geo-data'
import type { SimPack } from './simulator.ts'

export function loadSimPack(region: string, dir = regionDir(region)): SimPack {
  const units = readAllUnits(region, dir)
  return {
    grids: units.filter((u) => u.properties.level === 'grid'),
    communities: units.filter((u) => u.properties.level === 'community'),
    cameras: readCameras(region, dir),
    members: readMembers(region, dir),
  }
}

/** The simulator's view of a generated city held in memory (no files needed). */
export function citySimPack(city: CityPack): SimPack {
  return {
    grids: city.grids,
    communities: city.communities,
    cameras: city.cameras.map(([id, lon, lat, grid, kind]) => ({ id, lon, lat, grid, kind })),
    members: city.members.map(([id, name, role, grid]) => ({ id, name, role, grid })),
  }
}
