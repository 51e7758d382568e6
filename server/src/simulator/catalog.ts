/**
 * Domain vocabulary and rates of the simulated 南湖区, from the seed report
 * (“新时代基层社会治理体系建设的嘉兴南湖探索”) and common 综治中心 practice:
 *
 * - 605 grids, 7,880 雪亮工程 cameras, 2,036 part-time members, 280 auxiliaries (the region pack).
 * - Cases (事件): the report's 挂牌整治 found and rectified 9,616 hazards in ~4 months and collected
 *   13,000 民意诉求 (98.1 % 办结) — together ≈ 190 items a day; we use CASES_PER_DAY = 200.
 *   Dispatch within 30 minutes (the 应急 teams' “30分钟内到达”), resolution within 1.5 working days
 *   (大武口 平均办结时间 1.5个工作日), a few overdue on each.
 * - Disputes (矛盾纠纷): 360 new disputes resolved in 2018 with a 92 % rate at district level; with the
 *   grid-level mediations (七星街道 alone 42 in one campaign) we use DISPUTES_PER_DAY = 3 and about
 *   93 % resolved; hot spots in a few communities (七星街道's 征地拆迁 and 安置房 issues).
 */
export const CASES_PER_DAY = 200
export const DISPUTES_PER_DAY = 3

/** Relative case rate per local hour 0–23: quiet nights, peaks mid-morning and mid-afternoon. */
export const CASE_HOURLY = [
  0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.45, 0.9, 1.6, 2.2, 2.4, 1.9, 1.1, 1.2, 1.9, 2.1, 2.0, 1.5, 1.0, 0.85, 0.7, 0.5,
  0.35, 0.2,
] as const

export interface CaseType {
  type: string
  weight: number
  /** weight multiplier between 20:00 and 06:00 */
  night: number
  /** P(priority 1), P(priority 2); the rest is 3 */
  p1: number
  p2: number
  /** weights of app, hotline, patrol, video */
  sources: readonly [number, number, number, number]
  titles: readonly string[]
}

export const CASE_TYPES: readonly CaseType[] = [
  {
    type: '环境卫生',
    weight: 22,
    night: 0.3,
    p1: 0,
    p2: 0.05,
    sources: [3, 2, 5, 1],
    titles: ['垃圾堆放未清运', '小区绿化带垃圾堆积', '河道漂浮物', '公厕卫生差', '建筑垃圾乱倒'],
  },
  {
    type: '占道经营',
    weight: 14,
    night: 0.8,
    p1: 0,
    p2: 0.05,
    sources: [2, 2, 4, 4],
    titles: ['流动摊贩占道经营', '店外经营占用人行道', '早餐摊占道', '夜市摊位越线经营'],
  },
  {
    type: '道路设施',
    weight: 10,
    night: 0.5,
    p1: 0.02,
    p2: 0.15,
    sources: [3, 3, 4, 2],
    titles: ['窨井盖缺失', '路灯不亮', '道路破损坑洼', '护栏损坏', '交通标志倒伏'],
  },
  {
    type: '治安隐患',
    weight: 10,
    night: 2.5,
    p1: 0.06,
    p2: 0.25,
    sources: [2, 3, 3, 3],
    titles: ['可疑人员逗留', '小区门禁损坏', '群租房人员混杂', '深夜聚集滋事', '监控盲区发现可疑车辆'],
  },
  {
    type: '消防隐患',
    weight: 8,
    night: 1.2,
    p1: 0.08,
    p2: 0.3,
    sources: [2, 2, 5, 2],
    titles: ['电动车楼道违规充电', '消防通道堵塞', '“三合一”场所住人', '灭火器过期', '飞线充电'],
  },
  {
    type: '违章搭建',
    weight: 7,
    night: 0.2,
    p1: 0,
    p2: 0.1,
    sources: [3, 3, 5, 1],
    titles: ['屋顶违章搭建', '院落私搭乱建', '违规圈占公共绿地', '厂中厂违规隔层'],
  },
  {
    type: '噪声扰民',
    weight: 6,
    night: 3,
    p1: 0,
    p2: 0.05,
    sources: [3, 6, 1, 0],
    titles: ['夜间施工噪声', '广场舞音响扰民', 'KTV噪声扰民', '装修噪声投诉'],
  },
  {
    type: '出租房管理',
    weight: 6,
    night: 0.3,
    p1: 0,
    p2: 0.1,
    sources: [2, 1, 6, 0],
    titles: ['出租房未登记', '流动人口未申报居住登记', '出租房旅馆式管理台账缺失'],
  },
  {
    type: '安全生产',
    weight: 5,
    night: 0.5,
    p1: 0.05,
    p2: 0.3,
    sources: [1, 2, 6, 1],
    titles: ['企业安全通道堵塞', '危化品存放不规范', '厂房电气线路老化'],
  },
  {
    type: '交通安全',
    weight: 5,
    night: 0.8,
    p1: 0.03,
    p2: 0.15,
    sources: [2, 3, 2, 5],
    titles: ['电动车逆行聚集点', '僵尸车占用车位', '路口违停严重', '学校周边交通拥堵'],
  },
  {
    type: '市容秩序',
    weight: 4,
    night: 0.3,
    p1: 0,
    p2: 0.05,
    sources: [3, 2, 4, 3],
    titles: ['乱张贴小广告', '非机动车乱停放', '户外广告破损', '沿街晾晒'],
  },
]

export interface DisputeCategory {
  category: string
  urban: number
  rural: number
  /** extra weight inside hot-spot communities */
  hot: number
  /** parties: min, max (skewed to min) */
  parties: readonly [number, number]
  titles: readonly string[]
}

export const DISPUTE_CATEGORIES: readonly DisputeCategory[] = [
  {
    category: '邻里纠纷',
    urban: 28,
    rural: 24,
    hot: 1,
    parties: [2, 4],
    titles: ['楼上漏水引发纠纷', '公共楼道堆物纠纷', '宠物扰民纠纷', '宅前屋后通行纠纷'],
  },
  {
    category: '婚姻家庭',
    urban: 15,
    rural: 15,
    hot: 1,
    parties: [2, 5],
    titles: ['赡养老人纠纷', '离婚财产分割纠纷', '家庭矛盾激化'],
  },
  {
    category: '物业纠纷',
    urban: 20,
    rural: 2,
    hot: 1,
    parties: [2, 40],
    titles: ['物业费收缴纠纷', '小区停车位分配纠纷', '电梯维修资金使用纠纷'],
  },
  {
    category: '劳资纠纷',
    urban: 12,
    rural: 10,
    hot: 1,
    parties: [2, 30],
    titles: ['拖欠农民工工资', '厂中厂企业欠薪', '工伤赔偿纠纷'],
  },
  {
    category: '土地承包',
    urban: 0,
    rural: 18,
    hot: 2,
    parties: [2, 10],
    titles: ['土地流转租金纠纷', '承包地界址纠纷', '宅基地使用纠纷'],
  },
  {
    category: '征地拆迁',
    urban: 4,
    rural: 12,
    hot: 8,
    parties: [2, 60],
    titles: ['拆迁补偿标准争议', '安置房分配纠纷', '安置小区店面房分配不公', '村集体资产处置纠纷'],
  },
  {
    category: '消费纠纷',
    urban: 9,
    rural: 3,
    hot: 1,
    parties: [2, 3],
    titles: ['预付卡退费纠纷', '装修质量纠纷'],
  },
  {
    category: '交通事故',
    urban: 8,
    rural: 6,
    hot: 1,
    parties: [2, 3],
    titles: ['电动车碰撞赔偿纠纷', '停车剐蹭赔偿纠纷'],
  },
]

/** Number of hot-spot communities for disputes, and the share of disputes they get. */
export const HOT_SPOTS = 5
export const HOT_SPOT_SHARE = 0.55
