export const messages = {
  'zh-CN': {
    title: '网格态势一张图',
    documentTitle: '网格态势一张图 · GridSight',
    connection: {
      connecting: '连接中',
      live: '实时',
      reconnecting: '重连中',
      offline: '已断开',
    },
    dataAge: '数据 {age} 秒前',
    members: '在线网格员 {n}',
    generatedNote:
      '演示数据：摄像机、网格员、事件与矛盾纠纷由内置模拟器生成；镇街及以下边界为程序生成，名称与区划代码为真实数据',
    banner: {
      title: '连接中断',
      detail: '画面数据已 {age} 未更新，正在自动重连…',
      seconds: '{n} 秒',
      minutes: '{n} 分钟',
    },
    region: {
      label: '辖区',
      loading: '正在加载辖区…',
      failed: '辖区数据加载失败：{message}',
    },
    weekdays: { d0: '星期日', d1: '星期一', d2: '星期二', d3: '星期三', d4: '星期四', d5: '星期五', d6: '星期六' },
    timeZoneNote: '北京时间',
    language: {
      switch: '切换语言',
      'zh-CN': '中文',
      en: 'EN',
    },
    settings: {
      open: '显示设置',
      scale: '大屏缩放',
      language: '界面语言',
      display: '{mode} · {width}×{height} · {dpr}x',
    },
    scaleMode: {
      fit: '等比适应',
      fill: '拉伸铺满',
      wide: '宽屏延展',
    },
    scaleHint: {
      fit: '按 1920×1080 等比缩放，留边',
      fill: '横纵分别拉伸，铺满屏幕',
      wide: '面板按高度缩放，地图占满多余宽度（拼接屏）',
    },
    awaiting: {
      title: '等待数据接入',
      caption: '接入后显示：{list}',
    },
    panel: {
      members: '网格员力量',
      cameras: '视频监控',
      cases: '事件办理',
      disputes: '矛盾纠纷',
      ranking: '街道排名',
      trends: '态势趋势',
    },
    kpi: {
      membersOnline: '在线网格员',
      personUnit: '人',
    },
    metric: {
      silentMembers: '静默人员',
      coverageVoids: '覆盖空白',
      camerasTotal: '摄像头总数',
      cameraOnlineRate: '在线率',
      gridsBelowStandard: '未达标网格',
      casesToday: '今日受理',
      casesOpen: '办理中',
      casesOverdue: '超期',
      closureRate: '办结率',
      handlingTime: '平均办理时长',
      resolutionRate: '化解率',
      byCategory: '分类占比',
      backlog: '积案',
      rankingMetric: '按指标排名',
      trend24h: '24 小时',
      trend30d: '30 天',
    },
    ticker: {
      label: '实时预警',
      empty: '暂无预警 · 预警数据尚未接入',
    },
    map: {
      label: '辖区地图',
    },
  },
  en: {
    title: 'GridSight situational map',
    documentTitle: 'GridSight situational map',
    connection: {
      connecting: 'Connecting',
      live: 'Live',
      reconnecting: 'Reconnecting',
      offline: 'Offline',
    },
    dataAge: 'data {age} s old',
    members: '{n} grid members',
    generatedNote:
      'Demo data: cameras, members, cases and disputes come from the built-in simulator; boundaries below district level are generated, names and codes are real',
    banner: {
      title: 'Connection lost',
      detail: 'the data on screen stopped updating {age} ago; reconnecting…',
      seconds: '{n} s',
      minutes: '{n} min',
    },
    region: {
      label: 'Region',
      loading: 'Loading region…',
      failed: 'Could not load the region: {message}',
    },
    weekdays: {
      d0: 'Sunday',
      d1: 'Monday',
      d2: 'Tuesday',
      d3: 'Wednesday',
      d4: 'Thursday',
      d5: 'Friday',
      d6: 'Saturday',
    },
    timeZoneNote: 'Beijing time',
    language: {
      switch: 'Switch language',
      'zh-CN': '中文',
      en: 'EN',
    },
    settings: {
      open: 'Display settings',
      scale: 'Wall scaling',
      language: 'Language',
      display: '{mode} · {width}×{height} · {dpr}x',
    },
    scaleMode: {
      fit: 'Fit',
      fill: 'Fill',
      wide: 'Wide',
    },
    scaleHint: {
      fit: 'Uniform 1920×1080 scale, letterboxed',
      fill: 'Stretched per axis to fill the screen',
      wide: 'Panels scale by height, the map takes the extra width (spliced walls)',
    },
    awaiting: {
      title: 'Awaiting data feed',
      caption: 'Will show: {list}',
    },
    panel: {
      members: 'Grid members',
      cameras: 'Video cameras',
      cases: 'Cases',
      disputes: 'Disputes',
      ranking: 'Street ranking',
      trends: 'Trends',
    },
    kpi: {
      membersOnline: 'Members online',
      personUnit: '',
    },
    metric: {
      silentMembers: 'silent members',
      coverageVoids: 'coverage voids',
      camerasTotal: 'total cameras',
      cameraOnlineRate: 'online rate',
      gridsBelowStandard: 'grids below standard',
      casesToday: 'received today',
      casesOpen: 'open',
      casesOverdue: 'overdue',
      closureRate: 'closure rate',
      handlingTime: 'average handling time',
      resolutionRate: 'resolution rate',
      byCategory: 'share by category',
      backlog: 'backlog',
      rankingMetric: 'ranking by metric',
      trend24h: '24 h',
      trend30d: '30 d',
    },
    ticker: {
      label: 'Live alerts',
      empty: 'No alerts · alert feed not connected yet',
    },
    map: {
      label: 'Region map',
    },
  },
} as const

export type Locale = keyof typeof messages
export const LOCALES = Object.keys(messages) as Locale[]

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as string[]).includes(value)
}

/** `?lang=` first (`en`, `zh`, `zh-CN`), then the stored setting, then zh-CN. */
export function resolveLocale(search: string, stored: string | null): Locale {
  const requested = new URLSearchParams(search).get('lang')
  if (requested === 'en') return 'en'
  if (requested === 'zh' || requested === 'zh-CN') return 'zh-CN'
  if (isLocale(stored)) return stored
  return 'zh-CN'
}
