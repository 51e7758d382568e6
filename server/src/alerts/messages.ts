/** The zh-CN / English text of each rule's alert (the screen shows the one of its language). */
import type { AlertRule } from '@gridsight/shared'

export interface MessageParams {
  /** subject label: camera/member name or id, case or dispute id and title */
  label: string
  /** the unit's name (grid or community) */
  unit: string
  minutes?: number
  percent?: number
  offline?: number
  total?: number
  days?: number
  count?: number
  metres?: number
  hours?: number
}

type Msg = (p: MessageParams) => { zh: string; en: string }

const MESSAGES: Record<AlertRule, Msg> = {
  cameraOffline: (p) => ({
    zh: `${p.unit} 摄像头 ${p.label} 离线超过 ${p.minutes} 分钟`,
    en: `Camera ${p.label} in ${p.unit} offline for more than ${p.minutes} min`,
  }),
  clusterOutage: (p) => ({
    zh: `${p.unit} 摄像头成片离线：${p.offline}/${p.total} 路（${p.percent}%）`,
    en: `Cluster outage in ${p.unit}: ${p.offline} of ${p.total} cameras offline (${p.percent} %)`,
  }),
  gridBelowDensity: (p) => ({
    zh: `${p.unit} 在线摄像头密度低于建设标准超过 ${p.minutes} 分钟`,
    en: `${p.unit}: online camera density below its standard for more than ${p.minutes} min`,
  }),
  caseNotDispatched: (p) => ({
    zh: `事件 ${p.label} 超过 ${p.minutes} 分钟未派遣`,
    en: `Case ${p.label} not dispatched within ${p.minutes} min`,
  }),
  caseNotResolved: (p) => ({
    zh: `事件 ${p.label} 超过办结时限未办结`,
    en: `Case ${p.label} not resolved within its deadline`,
  }),
  caseP1: (p) => ({
    zh: `紧急事件：${p.label}（${p.unit}）`,
    en: `Priority-1 case: ${p.label} (${p.unit})`,
  }),
  caseDuplicate: (p) => ({
    zh: `事件 ${p.label} 周边 ${p.metres} 米内 ${p.hours} 小时内重复上报 ${p.count} 次，疑似重复`,
    en: `Possible duplicate: ${p.count} more report(s) within ${p.metres} m and ${p.hours} h of case ${p.label}`,
  }),
  disputeEscalated: (p) => ({
    zh: `矛盾纠纷 ${p.label} 已升级督办（${p.unit}）`,
    en: `Dispute ${p.label} escalated (${p.unit})`,
  }),
  disputeOpenLong: (p) => ({
    zh: `矛盾纠纷 ${p.label} 超过 ${p.days} 天未化解`,
    en: `Dispute ${p.label} open for more than ${p.days} days`,
  }),
  memberSos: (p) => ({
    zh: `网格员 ${p.label} 发出 SOS 求助（${p.unit}）`,
    en: `SOS from grid member ${p.label} (${p.unit})`,
  }),
  memberSilent: (p) => ({
    zh: `在岗网格员 ${p.label} 超过 ${p.minutes} 分钟无定位`,
    en: `On-duty member ${p.label} silent (no position) for more than ${p.minutes} min`,
  }),
  memberOutsideGrid: (p) => ({
    zh: `网格员 ${p.label} 离开责任网格 ${p.unit} 超过 ${p.minutes} 分钟`,
    en: `Member ${p.label} outside own grid ${p.unit} for more than ${p.minutes} min`,
  }),
  coverageVoid: (p) => ({
    zh: `${p.unit} 值守时段内无在岗网格员超过 ${p.minutes} 分钟`,
    en: `${p.unit}: no member on duty during duty hours for more than ${p.minutes} min`,
  }),
}

export const messageOf = (rule: AlertRule, p: MessageParams) => MESSAGES[rule](p)
