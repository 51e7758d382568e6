/**
 * What has been revoked, as this process knows it, and who to tell. Access tokens are checked
 * against it on every use (they are otherwise valid until they expire); listeners (the live
 * stream, next) close the sockets of what was revoked. Revocations made by another process (the
 * CLI, another server on the same PostgreSQL) arrive by polling the auth tables: `sync()`.
 */
import type { AuthStore } from './auth-store.ts'

export type RevokedKind = 'user' | 'session' | 'display' | 'ingest'

export interface RevokeEvent {
  kind: RevokedKind
  /** user id, session id, display-token id or ingest-key id */
  id: string
}

export type RevokeListener = (e: RevokeEvent) => void

export class Revocations {
  /** id → when this process learnt of it (ms), per kind */
  readonly #known: Record<RevokedKind, Map<string, number>> = {
    user: new Map(),
    session: new Map(),
    display: new Map(),
    ingest: new Map(),
  }
  readonly #listeners = new Set<RevokeListener>()
  readonly #onError: (err: unknown) => void

  constructor(onError: (err: unknown) => void = () => {}) {
    this.#onError = onError
  }

  /** @returns a function that removes the listener */
  onRevoke(listener: RevokeListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  has(kind: RevokedKind, id: string): boolean {
    return this.#known[kind].has(id)
  }

  /** Records a revocation; listeners hear of each id once. */
  add(e: RevokeEvent, now = Date.now()): boolean {
    const known = this.#known[e.kind]
    if (known.has(e.id)) return false
    known.set(e.id, now)
    for (const listener of this.#listeners) {
      try {
        listener(e)
      } catch (err) {
        this.#onError(err)
      }
    }
    return true
  }

  /** Adds everything revoked in the store since `since` (ms); returns how many were new. */
  async sync(store: AuthStore, since: number, sessionsSince = since): Promise<number> {
    const r = await store.revokedSince(since, sessionsSince)
    let added = 0
    for (const id of r.users) added += Number(this.add({ kind: 'user', id }))
    for (const id of r.sessions) added += Number(this.add({ kind: 'session', id }))
    for (const id of r.displayTokens) added += Number(this.add({ kind: 'display', id }))
    for (const id of r.ingestKeys) added += Number(this.add({ kind: 'ingest', id }))
    return added
  }

  /**
   * Forgets revoked sessions learnt before `before`: once every access token of a session has
   * expired, its refresh tokens (revoked in the store) are all that could revive it.
   */
  forgetSessionsBefore(before: number): void {
    for (const [id, at] of this.#known.session) if (at < before) this.#known.session.delete(id)
  }
}
