/**
 * Walking-skeleton simulator: grid members patrolling inside the region.
 * Deterministic for a seed. Each member walks or rides with a heading that
 * drifts, and turns back when the next step would leave the region.
 */
import { bboxOf, mulberry32, pointInMultiPolygon, type Position } from '@gridsight/shared'

export interface SimulatedMember {
  id: string
  lon: number
  lat: number
  /** radians, 0 = east */
  heading: number
  /** metres per second */
  speed: number
}

const M_PER_DEG_LAT = 110_540

export class PatrolSimulator {
  readonly members: SimulatedMember[] = []
  private readonly random: () => number
  private readonly polygons: Position[][][]

  constructor(polygons: Position[][][], count: number, seed: number) {
    this.random = mulberry32(seed)
    this.polygons = polygons
    const [w, s, e, n] = bboxOf(polygons)
    for (let i = 0; i < count; i++) {
      let lon: number
      let lat: number
      do {
        lon = w + (e - w) * this.random()
        lat = s + (n - s) * this.random()
      } while (!this.inside(lon, lat))
      // Most members patrol on foot (~1.4 m/s); a quarter ride e-bikes or patrol cars.
      const speed = this.random() < 0.75 ? 0.9 + this.random() : 4 + 8 * this.random()
      this.members.push({
        id: `M${String(i + 1).padStart(5, '0')}`,
        lon,
        lat,
        heading: this.random() * 2 * Math.PI,
        speed,
      })
    }
  }

  /** Advances every member by `dtS` seconds and reports each new position. */
  step(dtS: number, report: (id: string, lon: number, lat: number) => void): void {
    for (const m of this.members) {
      m.heading += (this.random() - 0.5) * 0.6
      const metres = m.speed * dtS
      const cosLat = Math.cos((m.lat * Math.PI) / 180)
      let lon = m.lon + (Math.cos(m.heading) * metres) / (M_PER_DEG_LAT * cosLat)
      let lat = m.lat + (Math.sin(m.heading) * metres) / M_PER_DEG_LAT
      if (!this.inside(lon, lat)) {
        m.heading += Math.PI
        lon = m.lon
        lat = m.lat
      }
      m.lon = lon
      m.lat = lat
      report(m.id, lon, lat)
    }
  }

  private inside(lon: number, lat: number): boolean {
    return pointInMultiPolygon(lon, lat, this.polygons)
  }
}
