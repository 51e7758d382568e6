/**
 * Pure helpers for showing alerts (ticker, banner, list): severity tone, age, text
 * in the screen's language, distances, which P1s are new since the last look, and
 * where an alert's subject opens (detail panel, map).
 */
import type { Alert, AlertSeverity, AlertSubjectKind } from '@gridsight/shared'
import type { DetailKind, DetailTarget } from '../stores/detail.ts'
import type { MapFocusTarget } from '../stores/map-focus.ts'

/** P1 red, P2 amber, P3 blue: the same on the ticker, the banner and the list. */
export const SEVERITY_TONE: Record<AlertSeverity, 'danger' | 'warn' | 'info'> = {
  P1: 'danger',
  P2: 'warn',
  P3: 'info',
}

export interface AgeParts {
  /** i18n key under `alert.age` */
  unit: 's' | 'm' | 'hm' | 'd'
  n: number
  /** minutes past the hour, for `hm` */
  m?: number
}

/** How long ago, coarse enough to read from across the room; a clock running ahead reads as 0 s. */
export function ageParts(ms: number): AgeParts {
  const s = Math.max(0, Math.floor(ms / 1000))
  if (s < 60) return { unit: 's', n: s }
  if (s < 3600) return { unit: 'm', n: Math.floor(s / 60) }
  if (s < 86_400) return { unit: 'hm', n: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) }
  return { unit: 'd', n: Math.floor(s / 86_400) }
}

/** The message in the screen's language (the server writes both). */
export function alertText(alert: Pick<Alert, 'message'>, locale: string): string {
  return locale === 'en' ? alert.message.en : alert.message.zh
}

/** metres under 1 km, else km with one decimal */
export function distanceParts(m: number): { unit: 'm' | 'km'; n: number } {
  return m < 1000 ? { unit: 'm', n: Math.round(m) } : { unit: 'km', n: Math.round(m / 100) / 10 }
}

/** the detail panel's kind for an alert subject's kind (the stream's table names, and 'unit') */
const DETAIL_KIND: Record<AlertSubjectKind, DetailKind> = {
  camera: 'cameras',
  member: 'members',
  case: 'cases',
  dispute: 'disputes',
  unit: 'unit',
}

/** The detail panel an alert's subject opens: a case's, a dispute's (督办, long unresolved), a camera's … */
export function alertDetailTarget(alert: Pick<Alert, 'subject'>): DetailTarget {
  return { kind: DETAIL_KIND[alert.subject.kind], id: alert.subject.id }
}

/** zoom to fly to an alert's subject: street level, where cases and disputes are drawn one by one */
export const ALERT_ZOOM = 16

/** Where the map flies for an alert: its subject's position, or nowhere when it has none. */
export function alertFocus(alert: Pick<Alert, 'lon' | 'lat'>): MapFocusTarget | null {
  return alert.lon === null || alert.lat === null
    ? null
    : { kind: 'point', lon: alert.lon, lat: alert.lat, zoom: ALERT_ZOOM }
}

/** rules whose case is, by definition, still `reported` (the server answers 409 for any other) */
const DISPATCH_RULES: ReadonlySet<string> = new Set(['caseP1', 'caseNotDispatched'])

/** Case alerts that wait for a dispatch offer one-click dispatch. */
export function canDispatch(alert: Pick<Alert, 'rule' | 'subject' | 'state'>): boolean {
  return alert.subject.kind === 'case' && DISPATCH_RULES.has(alert.rule) && alert.state !== 'resolved'
}

/**
 * How many P1 ids `takeNew` remembers beyond those still urgent. A wall left on for days sees
 * every P1 of those days; remembering them all grew without end. Far more than a scope change
 * drops and re-sends at once, so those are still recognised.
 */
export const SEEN_MAX = 1000

/**
 * The alerts of `urgent` not in `seen`, oldest first (so the newest is announced last and
 * stays in view); marks them seen. Ids are kept after they leave `urgent`: a scope change
 * drops and re-sends the open alerts, and that must not fly and chime again (a resolved alert
 * never comes back under its id). Past `max` ids, the longest-seen of those no longer urgent
 * are forgotten; an urgent one never is, so it is announced once however long it stays.
 */
export function takeNew(seen: Set<string>, urgent: readonly Alert[], max = SEEN_MAX): Alert[] {
  const fresh = urgent.filter((a) => !seen.has(a.id)).sort((a, b) => a.raisedAt - b.raisedAt)
  for (const a of fresh) seen.add(a.id)
  if (seen.size > max) {
    const still = new Set(urgent.map((a) => a.id))
    // a Set iterates in insertion order: the longest-seen first
    for (const id of seen) {
      if (seen.size <= max) break
      if (!still.has(id)) seen.delete(id)
    }
  }
  return fresh
}

/** Seconds for one pass of a scrolling ticker of `contentPx` at `pxPerS`, never under 8 s. */
export function scrollSeconds(contentPx: number, pxPerS = 70): number {
  return Math.max(8, Math.round(contentPx / pxPerS))
}

/**
 * At most this many alerts ride the ticker. A street wall can hold hundreds of open alerts
 * after a night nobody handled them; all of them as scrolling DOM (two copies each) grew the
 * page to 12,000 nodes in the soak and a loop nobody can read. The rest are one click away in
 * the list, and the ticker says how many.
 */
export const TICKER_MAX = 20

const SEVERITY_RANK: Record<AlertSeverity, number> = { P1: 0, P2: 1, P3: 2 }

/**
 * The alerts the ticker shows: the most severe first, newest first within a severity, at most
 * `max`; `more` is how many are left out.
 */
export function tickerSelection<T extends Pick<Alert, 'severity' | 'raisedAt'>>(
  open: readonly T[],
  max = TICKER_MAX,
): { shown: T[]; more: number } {
  const shown = [...open]
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.raisedAt - a.raisedAt)
    .slice(0, max)
  return { shown, more: open.length - shown.length }
}
