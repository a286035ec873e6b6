/**
 * Administrative divisions (GB/T 2260, 2023 codes): every province-level
 * division, and for Guangdong every prefecture-level city and its
 * county-level divisions. Other provinces list their name only until their
 * data is added; the picker shows them as unavailable rather than guessing.
 */
export interface Division {
  code: string;
  name: string;
  children?: Division[];
}

type Row = readonly [code: string, name: string];

const PROVINCES: readonly Row[] = [
  ['110000', '北京市'],
  ['120000', '天津市'],
  ['130000', '河北省'],
  ['140000', '山西省'],
  ['150000', '内蒙古自治区'],
  ['210000', '辽宁省'],
  ['220000', '吉林省'],
  ['230000', '黑龙江省'],
  ['310000', '上海市'],
  ['320000', '江苏省'],
  ['330000', '浙江省'],
  ['340000', '安徽省'],
  ['350000', '福建省'],
  ['360000', '江西省'],
  ['370000', '山东省'],
  ['410000', '河南省'],
  ['420000', '湖北省'],
  ['430000', '湖南省'],
  ['440000', '广东省'],
  ['450000', '广西壮族自治区'],
  ['460000', '海南省'],
  ['500000', '重庆市'],
  ['510000', '四川省'],
  ['520000', '贵州省'],
  ['530000', '云南省'],
  ['540000', '西藏自治区'],
  ['610000', '陕西省'],
  ['620000', '甘肃省'],
  ['630000', '青海省'],
  ['640000', '宁夏回族自治区'],
  ['650000', '新疆维吾尔自治区'],
  ['710000', '台湾省'],
  ['810000', '香港特别行政区'],
  ['820000', '澳门特别行政区'],
];

/** Guangdong: city → its county-level divisions (东莞、中山 have none: towns report to the city). */
const GUANGDONG: ReadonlyArray<readonly [code: string, name: string, counties: readonly Row[]]> = [
  [
    '440100',
    '广州市',
    [
      ['440103', '荔湾区'],
      ['440104', '越秀区'],
      ['440105', '海珠区'],
      ['440106', '天河区'],
      ['440111', '白云区'],
      ['440112', '黄埔区'],
      ['440113', '番禺区'],
      ['440114', '花都区'],
      ['440115', '南沙区'],
      ['440117', '从化区'],
      ['440118', '增城区'],
    ],
  ],
  [
    '440200',
    '韶关市',
    [
      ['440203', '武江区'],
      ['440204', '浈江区'],
      ['440205', '曲江区'],
      ['440222', '始兴县'],
      ['440224', '仁化县'],
      ['440229', '翁源县'],
      ['440232', '乳源瑶族自治县'],
      ['440233', '新丰县'],
      ['440281', '乐昌市'],
      ['440282', '南雄市'],
    ],
  ],
  [
    '440300',
    '深圳市',
    [
      ['440303', '罗湖区'],
      ['440304', '福田区'],
      ['440305', '南山区'],
      ['440306', '宝安区'],
      ['440307', '龙岗区'],
      ['440308', '盐田区'],
      ['440309', '龙华区'],
      ['440310', '坪山区'],
      ['440311', '光明区'],
    ],
  ],
  [
    '440400',
    '珠海市',
    [
      ['440402', '香洲区'],
      ['440403', '斗门区'],
      ['440404', '金湾区'],
    ],
  ],
  [
    '440500',
    '汕头市',
    [
      ['440507', '龙湖区'],
      ['440511', '金平区'],
      ['440512', '濠江区'],
      ['440513', '潮阳区'],
      ['440514', '潮南区'],
      ['440515', '澄海区'],
      ['440523', '南澳县'],
    ],
  ],
  [
    '440600',
    '佛山市',
    [
      ['440604', '禅城区'],
      ['440605', '南海区'],
      ['440606', '顺德区'],
      ['440607', '三水区'],
      ['440608', '高明区'],
    ],
  ],
  [
    '440700',
    '江门市',
    [
      ['440703', '蓬江区'],
      ['440704', '江海区'],
      ['440705', '新会区'],
      ['440781', '台山市'],
      ['440783', '开平市'],
      ['440784', '鹤山市'],
      ['440785', '恩平市'],
    ],
  ],
  [
    '440800',
    '湛江市',
    [
      ['440802', '赤坎区'],
      ['440803', '霞山区'],
      ['440804', '坡头区'],
      ['440811', '麻章区'],
      ['440823', '遂溪县'],
      ['440825', '徐闻县'],
      ['440881', '廉江市'],
      ['440882', '雷州市'],
      ['440883', '吴川市'],
    ],
  ],
  [
    '440900',
    '茂名市',
    [
      ['440902', '茂南区'],
      ['440904', '电白区'],
      ['440981', '高州市'],
      ['440982', '化州市'],
      ['440983', '信宜市'],
    ],
  ],
  [
    '441200',
    '肇庆市',
    [
      ['441202', '端州区'],
      ['441203', '鼎湖区'],
      ['441204', '高要区'],
      ['441223', '广宁县'],
      ['441224', '怀集县'],
      ['441225', '封开县'],
      ['441226', '德庆县'],
      ['441284', '四会市'],
    ],
  ],
  [
    '441300',
    '惠州市',
    [
      ['441302', '惠城区'],
      ['441303', '惠阳区'],
      ['441322', '博罗县'],
      ['441323', '惠东县'],
      ['441324', '龙门县'],
    ],
  ],
  [
    '441400',
    '梅州市',
    [
      ['441402', '梅江区'],
      ['441403', '梅县区'],
      ['441422', '大埔县'],
      ['441423', '丰顺县'],
      ['441424', '五华县'],
      ['441426', '平远县'],
      ['441427', '蕉岭县'],
      ['441481', '兴宁市'],
    ],
  ],
  [
    '441500',
    '汕尾市',
    [
      ['441502', '城区'],
      ['441521', '海丰县'],
      ['441523', '陆河县'],
      ['441581', '陆丰市'],
    ],
  ],
  [
    '441600',
    '河源市',
    [
      ['441602', '源城区'],
      ['441621', '紫金县'],
      ['441622', '龙川县'],
      ['441623', '连平县'],
      ['441624', '和平县'],
      ['441625', '东源县'],
    ],
  ],
  [
    '441700',
    '阳江市',
    [
      ['441702', '江城区'],
      ['441704', '阳东区'],
      ['441721', '阳西县'],
      ['441781', '阳春市'],
    ],
  ],
  [
    '441800',
    '清远市',
    [
      ['441802', '清城区'],
      ['441803', '清新区'],
      ['441821', '佛冈县'],
      ['441823', '阳山县'],
      ['441825', '连山壮族瑶族自治县'],
      ['441826', '连南瑶族自治县'],
      ['441881', '英德市'],
      ['441882', '连州市'],
    ],
  ],
  ['441900', '东莞市', []],
  ['442000', '中山市', []],
  [
    '445100',
    '潮州市',
    [
      ['445102', '湘桥区'],
      ['445103', '潮安区'],
      ['445122', '饶平县'],
    ],
  ],
  [
    '445200',
    '揭阳市',
    [
      ['445202', '榕城区'],
      ['445203', '揭东区'],
      ['445222', '揭西县'],
      ['445224', '惠来县'],
      ['445281', '普宁市'],
    ],
  ],
  [
    '445300',
    '云浮市',
    [
      ['445302', '云城区'],
      ['445303', '云安区'],
      ['445321', '新兴县'],
      ['445322', '郁南县'],
      ['445381', '罗定市'],
    ],
  ],
];

/** Province → city → county tree, for the cascading picker. */
export const DIVISIONS: readonly Division[] = PROVINCES.map(([code, name]) =>
  code === '440000'
    ? {
        code,
        name,
        children: GUANGDONG.map(([cityCode, cityName, counties]) => ({
          code: cityCode,
          name: cityName,
          ...(counties.length
            ? { children: counties.map(([c, n]) => ({ code: c, name: n })) }
            : {}),
        })),
      }
    : { code, name },
);

const byCode = new Map<string, { division: Division; parent?: string }>();
(function index(list: readonly Division[], parent?: string) {
  for (const d of list) {
    byCode.set(d.code, parent ? { division: d, parent } : { division: d });
    if (d.children) index(d.children, d.code);
  }
})(DIVISIONS);

/** The division with this code, if the data has it. */
export function findDivision(code: string): Division | undefined {
  return byCode.get(code)?.division;
}

/** Codes from the province down to `code` (e.g. 440781 → 440000, 440700, 440781); [] if unknown. */
export function divisionPath(code: string): string[] {
  const path: string[] = [];
  let at: string | undefined = code;
  while (at) {
    const entry = byCode.get(at);
    if (!entry) return [];
    path.unshift(at);
    at = entry.parent;
  }
  return path;
}

/** Full name, e.g. 广东省江门市台山市; the bare code when unknown. */
export function divisionFullName(code: string): string {
  const path = divisionPath(code);
  return path.length ? path.map((c) => byCode.get(c)?.division.name ?? '').join('') : code;
}

/** Whether the data covers the children of this division (the picker can descend). */
export function hasDivisionData(code: string): boolean {
  return Boolean(byCode.get(code)?.division.children);
}
