import { describe, expect, it } from 'vitest'
import { CASE_FLAGS, LiveMirror, type LiveSnapshot } from '@gridsight/shared'
import { emptyTable } from '../test-support/live-snapshot.ts'
import { hoverCardTarget, hoverTarget } from './hover.ts'

const empty = emptyTable()

describe('hoverTarget', () => {
  it('resolves a picked row of the cameras or members layer to its id, status and label', () => {
    const m = new LiveMirror()
    const snap: LiveSnapshot = {
      epoch: 'e',
      scope: '330402',
      seq: 0,
      ts: 0,
      tables: {
        members: empty,
        cameras: {
          ids: ['c1', 'c2'],
          dict: ['public', 'social'],
          pos: new Float32Array([120, 30, 121, 31]).buffer,
          status: new Uint8Array([0, 1]).buffer,
          attr: new Uint16Array([0, 1]).buffer,
        },
        cases: empty,
        disputes: empty,
      },
    }
    m.applySnapshot(snap)
    expect(hoverTarget(m, 'cameras', 1, 5, 6)).toEqual({
      kind: 'cameras',
      id: 'c2',
      status: 'offline',
      attr: 'social',
      x: 5,
      y: 6,
    })
    expect(hoverTarget(m, 'cameras', 2, 0, 0)).toBeNull()
    expect(hoverTarget(m, 'cameras-pulse', 0, 0, 0)).toBeNull()
    expect(hoverTarget(m, undefined, 0, 0, 0)).toBeNull()
  })

  it('resolves a row of the cases layer to the case, its state and type', () => {
    const m = new LiveMirror()
    m.applySnapshot({
      epoch: 'e',
      scope: '330402',
      seq: 0,
      ts: 0,
      tables: {
        members: empty,
        cameras: empty,
        cases: {
          ids: ['A1', 'A2'],
          dict: ['占道经营', '治安隐患'],
          pos: new Float32Array([120, 30, 121, 31]).buffer,
          status: new Uint8Array([4, 2]).buffer,
          attr: new Uint16Array([0, 1]).buffer,
        },
        disputes: empty,
      },
    })
    expect(hoverTarget(m, 'cases', 1, 1, 2)).toEqual({
      kind: 'cases',
      id: 'A2',
      status: 'handling',
      attr: '治安隐患',
      x: 1,
      y: 2,
    })
    expect(hoverTarget(m, 'cases-base', 0, 0, 0)).toBeNull()
  })

  it('names the deadlines a hovered case is past, from the server’s flags', () => {
    const m = new LiveMirror()
    m.applySnapshot({
      epoch: 'e',
      scope: '330402',
      seq: 0,
      ts: 0,
      tables: {
        members: empty,
        cameras: empty,
        cases: {
          ids: ['A1', 'A2'],
          dict: ['治安隐患'],
          pos: new Float32Array([120, 30, 121, 31]).buffer,
          status: new Uint8Array([0, 2]).buffer,
          attr: new Uint16Array([0, 0]).buffer,
          flags: new Uint8Array([CASE_FLAGS.dispatchOverdue | CASE_FLAGS.resolveOverdue, 0]).buffer,
        },
        disputes: empty,
      },
    })
    expect(hoverTarget(m, 'cases', 0, 0, 0)?.overdue).toEqual(['dispatch', 'resolve'])
    expect(hoverTarget(m, 'cases', 1, 0, 0)).not.toHaveProperty('overdue')
  })
})

describe('hoverCardTarget', () => {
  const hover = { kind: 'cases', id: 'A1', status: 'handling', attr: null, x: 10, y: 20 } as const

  it('shows the hovered entity while no panel is open, or a panel shows something else', () => {
    expect(hoverCardTarget(hover, null)).toBe(hover)
    expect(hoverCardTarget(hover, { kind: 'cases', id: 'A2' })).toBe(hover)
    expect(hoverCardTarget(hover, { kind: 'unit', id: 'A1' })).toBe(hover)
    expect(hoverCardTarget(null, { kind: 'cases', id: 'A1' })).toBeNull()
  })

  it('gives way to the detail panel open on the same entity', () => {
    expect(hoverCardTarget(hover, { kind: 'cases', id: 'A1' })).toBeNull()
    expect(hoverCardTarget({ ...hover, kind: 'cameras', id: 'C1' }, { kind: 'cameras', id: 'C1' })).toBeNull()
  })
})
