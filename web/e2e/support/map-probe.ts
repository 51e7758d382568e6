/**
 * Probing the live map from an E2E test, through the page's debug handle `window.__gridsight`
 * (LiveMap.vue: the MapLibre map, the deck.gl overlay, the live store with its mirror, the
 * choropleth painter and the layers store, once the map is mounted).
 *
 * Input is dispatched in the page rather than through Playwright's input pipeline: under software
 * WebGL on a loaded box the renderer acknowledges real input events too late for Playwright, while
 * the handlers under test are the same.
 */
import type { Page } from 'playwright-core'

/** The entity layers a click opens a detail panel for. */
export type EntityKind = 'cameras' | 'members' | 'cases' | 'disputes'

/** A point on the map canvas, in its CSS pixels. */
export interface MapPoint {
  x: number
  y: number
}

/** Waits until the map is mounted and its debug handle carries the layers store. */
export async function waitForMapHandle(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => (window as any).__gridsight?.layers !== undefined, null, { timeout })
}

/** Shows or hides map layers through the page's layers store (as the legend's toggles do). */
export async function setLayers(page: Page, visible: Record<string, boolean>, timeout = 60_000): Promise<void> {
  await waitForMapHandle(page, timeout)
  await page.evaluate((v) => (window as any).__gridsight.layers.apply({ visible: v }), visible)
}

/** ids of the deck.gl layers drawn now */
export function deckLayerIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const deck = (window as any).__gridsight?.overlay?._deck
    return (deck?.layerManager?.getLayers() ?? []).map((l: any) => l.id as string)
  })
}

/** How many items the deck.gl layer `id` draws now (its binary data's length), or null when it is not drawn. */
export function deckLayerLength(page: Page, id: string): Promise<number | null> {
  return page.evaluate((id) => {
    const deck = (window as any).__gridsight?.overlay?._deck
    const layer = (deck?.layerManager?.getLayers() ?? []).find((l: any) => l.id === id)
    return layer ? (layer.props.data.length as number) : null
  }, id)
}

/** Stops (or resumes) applying deltas in the page: the mirror, and so what is drawn, stands still for a click. */
export function freezeStream(page: Page, frozen: boolean): Promise<void> {
  return page.evaluate((on) => {
    const mirror = (window as any).__gridsight.live.mirror
    if (on) {
      mirror.__applyDelta ??= mirror.applyDelta
      mirror.applyDelta = () => 'stale'
    } else if (mirror.__applyDelta) {
      mirror.applyDelta = mirror.__applyDelta
      delete mirror.__applyDelta
    }
  }, frozen)
}

/** Moves the pointer to `at` on the map and clicks there (only hovers with `hoverOnly`). */
export function clickMap(page: Page, at: MapPoint, hoverOnly = false): Promise<void> {
  return page.evaluate(
    ({ x, y, hoverOnly }) => {
      const canvas = (window as any).__gridsight.map.getCanvas() as HTMLCanvasElement
      const r = canvas.getBoundingClientRect()
      const init = { bubbles: true, cancelable: true, clientX: r.left + x, clientY: r.top + y, button: 0 }
      canvas.dispatchEvent(new MouseEvent('mousemove', init))
      if (hoverOnly) return
      canvas.dispatchEvent(new MouseEvent('mousedown', init))
      canvas.dispatchEvent(new MouseEvent('mouseup', init))
      canvas.dispatchEvent(new MouseEvent('click', init))
    },
    { ...at, hoverOnly },
  )
}

/** Moves the pointer to `at` on the map (deck.gl's hover, the hover card). */
export function hoverMap(page: Page, at: MapPoint): Promise<void> {
  return clickMap(page, at, true)
}

export interface FreeSpotQuery {
  /** the part of the canvas searched, as fractions of its width and height: [left, top, right, bottom] */
  area: readonly [number, number, number, number]
  /** the search grid's steps in CSS pixels: [x, y] */
  step: readonly [number, number]
  /**
   * The unit hit layers of the map (`hit-street`, `hit-community`, `hit-grid`): the point lies on
   * one of them (the top-most there being the unit `code`, when given); with `outside`, on none.
   */
  units: { layers: readonly string[]; code?: string; outside?: boolean }
  /** no pickable entity within this many pixels of the point */
  clear: number
}

/** A point of the map found by {@link findFreeSpot}: where it is on the canvas and on the earth, and its unit. */
export interface FreeSpot extends MapPoint {
  lon: number
  lat: number
  /** the code of the unit hit there (null with `outside`) */
  code: string | null
}

/**
 * Scans the map row by row for a point on (or off) the given units with no entity near it: a
 * click there reaches the unit (or empty map), not an entity. `covered` names the entity layers
 * that stood on every candidate, when there is none.
 */
export function findFreeSpot(page: Page, query: FreeSpotQuery): Promise<FreeSpot | { covered: string[] }> {
  return page.evaluate(({ area, step, units, clear }) => {
    const { map, overlay } = (window as any).__gridsight
    const canvas = map.getCanvas() as HTMLCanvasElement
    const [w, h] = [canvas.clientWidth, canvas.clientHeight]
    const covered = new Set<string>()
    for (let y = h * area[1]; y < h * area[3]; y += step[1]) {
      for (let x = w * area[0]; x < w * area[2]; x += step[0]) {
        const hit = map.queryRenderedFeatures([x, y], { layers: units.layers })[0]
        if (units.outside ? hit : !hit || (units.code !== undefined && hit.properties.code !== units.code)) continue
        const picked = overlay.pickObject({ x, y, radius: clear })
        if (picked) {
          covered.add(picked.layer?.id)
          continue
        }
        const ll = map.unproject([x, y])
        return { x, y, lon: ll.lng as number, lat: ll.lat as number, code: (hit?.properties.code as string) ?? null }
      }
    }
    return { covered: [...covered] }
  }, query)
}

/**
 * Where to click `kind` (or the entity `id`): takes one from the mirror, centres the map on it at
 * street zoom (entities sparse enough to pick one), and once the map is there returns its point if
 * it is the top-most pickable entity. Another one is tried when something else covers it. null
 * until then: call it again (expect.poll). The disputes layer leaves rows out and draws them in its
 * own order, so a dispute counts as found when the dot picked there is drawn at its position.
 */
export function findEntity(page: Page, kind: EntityKind, id?: string): Promise<(MapPoint & { id: string }) | null> {
  return page.evaluate(
    ({ kind, id }) => {
      const g = (window as any).__gridsight
      const { map, overlay, live } = g
      const t = live.mirror.tables[kind]
      const fit = (i: number) =>
        (id === undefined || t.ids[i] === id) &&
        !(kind === 'members' && t.status[i] !== 1) && // on duty: it has a track today
        !(kind === 'cases' && t.status[i] === 4) // closed cases are not drawn
      g.__skip ??= new Set<string>()
      let pick = g.__pick?.kind === kind && (id === undefined || g.__pick.id === id) ? g.__pick : null
      let row = pick ? t.row(pick.id) : undefined
      if (row === undefined || !fit(row)) {
        row = undefined
        for (let i = 0; i < t.count; i++) {
          if (fit(i) && !g.__skip.has(t.ids[i])) {
            row = i
            break
          }
        }
        if (row === undefined) return null
        pick = g.__pick = { kind, id: t.ids[row], tries: 0 }
      }
      const pos = [t.pos[2 * row], t.pos[2 * row + 1]]
      const canvas = map.getCanvas() as HTMLCanvasElement
      const [w, h] = [canvas.clientWidth, canvas.clientHeight]
      const p = map.project(pos)
      if (map.getZoom() < 16 || Math.abs(p.x - w / 2) > 60 || Math.abs(p.y - h / 2) > 60) {
        map.jumpTo({ center: pos, zoom: 16.5 })
        return null
      }
      const picked = overlay.pickObject({ x: p.x, y: p.y, radius: 4 })
      const drawnAt = (k: number) => {
        const v = picked.layer.props.data.attributes.getPosition.value
        return v[2 * k] === pos[0] && v[2 * k + 1] === pos[1]
      }
      if (
        picked?.layer?.id === kind &&
        (kind === 'cases' || (kind === 'disputes' ? drawnAt(picked.index) : picked.index === row))
      )
        return { x: p.x, y: p.y, id: pick.id }
      // covered by another entity (or not drawn yet): after a few tries, another one
      if (++pick.tries > 8 && id === undefined) g.__skip.add(pick.id)
      return null
    },
    { kind, id },
  )
}
