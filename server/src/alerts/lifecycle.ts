/**
 * The alert lifecycle in memory: raised → acknowledged → resolved, de-duplicated per rule +
 * subject while open (a repeat raises the count), resolved automatically when the rule's
 * condition clears. Every transition is handed to `onTransition` (persist, then stream).
 *
 * An alert an operator resolves while its condition still holds is not raised again until the
 * condition has cleared once (else a manual resolve would bounce straight back).
 */
import { randomUUID } from 'node:crypto'
import type { Alert, AlertAction, AlertRule, AlertSeverity, AlertSubject } from '@gridsight/shared'

export interface Raise {
  severity: AlertSeverity
  unitCode: string
  subject: AlertSubject
  lon: number | null
  lat: number | null
  message: { zh: string; en: string }
}

export interface Transition {
  alert: Alert
  action: AlertAction
  at: number
  by: string | null
  from: string | null
  note: string | null
  isNew: boolean
}

export class ActionError extends Error {
  override name = 'ActionError'
  readonly statusCode: number
  constructor(statusCode: number, message: string) {
    super(message)
    this.statusCode = statusCode
  }
}

export const alertKey = (rule: AlertRule, subjectId: string) => `${rule}|${subjectId}`

export class AlertBook {
  /** open alerts by rule|subject */
  readonly open = new Map<string, Alert>()
  private readonly byId = new Map<string, Alert>()
  private readonly suppressed = new Set<string>()
  private readonly onTransition: (t: Transition) => void

  constructor(onTransition: (t: Transition) => void) {
    this.onTransition = onTransition
  }

  /** Open alerts from the database at start (no transition emitted). */
  load(alerts: readonly Alert[]): void {
    for (const a of alerts) {
      this.open.set(alertKey(a.rule, a.subject.id), a)
      this.byId.set(a.id, a)
    }
  }

  /** Keys resolved by hand before a restart (AlertStore.loadManuallyResolved). */
  suppress(rule: AlertRule, subjectId: string): void {
    const key = alertKey(rule, subjectId)
    if (!this.open.has(key)) this.suppressed.add(key)
  }

  getOpen(id: string): Alert | undefined {
    return this.byId.get(id)
  }

  isOpen(rule: AlertRule, subjectId: string): boolean {
    return this.open.has(alertKey(rule, subjectId))
  }

  /** The condition holds: raise once (level-triggered); nothing while open or suppressed. */
  raise(rule: AlertRule, r: Raise, now: number): void {
    const key = alertKey(rule, r.subject.id)
    if (this.open.has(key) || this.suppressed.has(key)) return
    this.create(key, rule, r, now)
  }

  /** A new occurrence (edge-triggered rules): the open alert's count goes up, else a new alert. */
  repeat(rule: AlertRule, r: Raise, now: number): void {
    const key = alertKey(rule, r.subject.id)
    const a = this.open.get(key)
    if (!a) {
      this.suppressed.delete(key)
      this.create(key, rule, r, now)
      return
    }
    a.count++
    a.lastAt = now
    a.message = r.message
    this.emit(a, 'repeated', now, null, null, null, false)
  }

  /** The condition no longer holds: auto-resolve the open alert, forget a suppression. */
  clear(rule: AlertRule, subjectId: string, now: number): void {
    const key = alertKey(rule, subjectId)
    this.suppressed.delete(key)
    const a = this.open.get(key)
    if (!a) return
    this.close(key, a, now, null)
    this.emit(a, 'auto-resolved', now, null, null, null, false)
  }

  acknowledge(id: string, by: string, from: string | null, note: string | null, now: number): Alert {
    const a = this.byId.get(id)
    if (!a) throw new ActionError(409, `alert ${id} is not open (already resolved, or unknown)`)
    if (a.state === 'acknowledged') return a
    a.state = 'acknowledged'
    a.ackBy = by
    a.ackAt = now
    if (note) a.note = note
    this.emit(a, 'acknowledged', now, by, from, note, false)
    return a
  }

  resolve(id: string, by: string, from: string | null, note: string | null, now: number): Alert {
    const a = this.byId.get(id)
    if (!a) throw new ActionError(409, `alert ${id} is not open (already resolved, or unknown)`)
    const key = alertKey(a.rule, a.subject.id)
    if (note) a.note = note
    this.close(key, a, now, by)
    this.suppressed.add(key)
    this.emit(a, 'resolved', now, by, from, note, false)
    return a
  }

  private create(key: string, rule: AlertRule, r: Raise, now: number): void {
    const a: Alert = {
      id: randomUUID(),
      rule,
      severity: r.severity,
      state: 'raised',
      unitCode: r.unitCode,
      subject: r.subject,
      lon: r.lon,
      lat: r.lat,
      raisedAt: now,
      lastAt: now,
      count: 1,
      message: r.message,
      ackBy: null,
      ackAt: null,
      resolvedAt: null,
      resolvedBy: null,
      note: null,
    }
    this.open.set(key, a)
    this.byId.set(a.id, a)
    this.emit(a, 'raised', now, null, null, null, true)
  }

  private close(key: string, a: Alert, now: number, by: string | null): void {
    a.state = 'resolved'
    a.resolvedAt = now
    a.resolvedBy = by
    this.open.delete(key)
    this.byId.delete(a.id)
  }

  private emit(
    alert: Alert,
    action: AlertAction,
    at: number,
    by: string | null,
    from: string | null,
    note: string | null,
    isNew: boolean,
  ): void {
    // a copy: later transitions must not change what was handed out
    this.onTransition({ alert: structuredClone(alert), action, at, by, from, note, isNew })
  }
}
