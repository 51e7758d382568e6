import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readCameras, readMembers } from '@gridsight/geo-data'
import { startServer } from './helpers.ts'

describe('in-process simulator (SIMULATOR=on)', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  beforeAll(async () => {
    server = await startServer({ SIMULATOR: 'on', SIM_SPEED: '60' })
  }, 30_000)
  afterAll(async () => {
    await server?.app.close()
  })

  it('feeds the pack cameras and members, with their grids, and cases through the ingest path', async () => {
    await new Promise((r) => setTimeout(r, 1500))
    const { entities } = server.app
    const cameras = readCameras('330402')
    const members = readMembers('330402')
    expect(entities.cameras.size).toBe(cameras.length)
    expect(entities.members.size).toBe(members.length)
    expect(cameras.every((c) => entities.cameras.get(c.id)?.gridCode === c.grid)).toBe(true)
    expect(members.every((m) => entities.members.get(m.id)?.gridCode === m.grid)).toBe(true)
    const online = [...entities.cameras.values()].filter((c) => c.status === 'online').length
    expect(online / cameras.length).toBeGreaterThan(0.9)
    expect(entities.cases.size).toBeGreaterThan(100)
    expect([...entities.cases.values()].every((c) => c.gridCode !== null)).toBe(true)
    expect(entities.disputes.size).toBeGreaterThan(5)
  })
})
