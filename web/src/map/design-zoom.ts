/**
 * Map zoom as counted on the 1920×1080 design canvas. A larger wall shows more of the map at the
 * same zoom and scales its symbols by `symbolScale` (wall-scale.ts): a 4K wall fits the district at
 * about 12 where a 1080p one fits it at 11. Thresholds that switch how a layer is drawn (counts per
 * cell or points, heat or dots) are chosen on the design canvas and compared with this zoom, so
 * every wall switches at the same view of the region.
 */
export function designZoom(zoom: number, symbolScale = 1): number {
  return zoom - Math.log2(symbolScale > 0 ? symbolScale : 1)
}
