/**
 * Versioned migrations, provided in code (no directory scan: works the same from source,
 * a bundle or a test). Add a file `NNN_name.ts` and list it here; names sort in apply order.
 */
import type { Migration, MigrationProvider } from 'kysely/migration'
import type { Engine } from '../types.ts'
import { initial } from './001_initial.ts'
import { alerts } from './002_alerts.ts'
import { kpiDaily } from './003_kpi_daily.ts'
import { auth } from './004_auth.ts'
import { simulatorState } from './005_simulator_state.ts'

export function migrationProvider(engine: Engine): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '001_initial': initial(engine),
        '002_alerts': alerts(engine),
        '003_kpi_daily': kpiDaily(engine),
        '004_auth': auth(engine),
        '005_simulator_state': simulatorState(engine),
      }
    },
  }
}
