/** Loads what the simulator needs from a region pack (the only file of the simulator that does I/O). */
import { readAllUnits, readCameras, readMembers, regionDir } from '@gridsight/geo-data'
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
