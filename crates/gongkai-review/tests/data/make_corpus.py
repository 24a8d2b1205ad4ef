#!/usr/bin/env python3
"""Writes corpus.tsv: the labelled snippets the scanner's precision and recall are measured on
(tests/corpus.rs). Personal numbers are placeholders the test expands ({ID:…} and the rest, see
tests/common/mod.rs), so no number of a person is stored; codes that are not personal data
(统一社会信用代码, 文号, dates, agency phones) are written out. Fixed seed: the output is stable.

Run from this directory: python3 make_corpus.py > corpus.tsv
"""
import random

R = random.Random(20261207)
W_USCC = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
A_USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"
COUNTIES = ["411426", "411421", "411402", "410102", "110101", "440305", "510104", "320102",
            "330106", "370102", "420102", "610113"]
SURNAMES = "张王李赵刘陈杨黄周吴"
CARD_PREFIXES = [("622202", 19), ("622848", 19), ("621700", 19), ("623668", 19), ("955880", 19),
                 ("436742", 16), ("622700", 16), ("625965", 16), ("403391", 16), ("518710", 16),
                 ("356833", 16), ("621661", 19)]
rows = []


def add(tag, text, expected, mode="text"):
    rows.append((tag, mode, text, " ".join(expected) if expected else "-"))


def birth(lo=1940, hi=2010):
    y = R.randint(lo, hi)
    m = R.randint(1, 12)
    d = R.randint(1, 28)
    return f"{y:04d}{m:02d}{d:02d}"


def id17(date=None):
    return R.choice(COUNTIES) + (date or birth()) + f"{R.randint(0, 999):03d}"


def card_prefix():
    p, n = R.choice(CARD_PREFIXES)
    return p + "".join(R.choice("0123456789") for _ in range(n - 1 - len(p)))


def masked_name():
    return R.choice(SURNAMES) + R.choice(["*", "**", "*华", "*明", "*芳"])


def mobile():
    return R.choice(["138", "139", "135", "150", "152", "158", "186", "187", "177", "199",
                     "166", "147"]) + f"{R.randint(0, 99999999):08d}"


ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def org_code(body8):
    """The 9-character 组织机构代码 (GB 11714-1997) of 8 characters: its check appended."""
    val = lambda c: int(c) if c.isdigit() else ord(c) - 55
    s = sum(val(c) * w for c, w in zip(body8, [3, 7, 9, 10, 5, 8, 4, 2]))
    check = (11 - s % 11) % 11
    return body8 + ("X" if check == 10 else str(check))


def uscc(prefix=None, digits_only=False, date_like=False):
    while True:
        head = prefix or R.choice(["11", "12", "91", "52", "13"])
        region = R.choice(COUNTIES)
        if date_like:
            org = org_code(birth(1950, 2005))
        elif digits_only:
            org = org_code("".join(R.choice("0123456789") for _ in range(8)))
        else:
            org = org_code("".join(R.choice(ORG_CHARS) for _ in range(8)))
        body = head + region + org
        s = sum(A_USCC.index(c) * w for c, w in zip(body, W_USCC))
        check = A_USCC[(31 - s % 31) % 31]
        code = body + check
        if (digits_only or date_like) and not code[:17].isdigit():
            continue
        if (digits_only or date_like) and not (check.isdigit() or check == "X"):
            continue
        if not digits_only and not date_like and code.isdigit():
            continue
        return code


# --- valid ID numbers (must all be found) ---
id_layouts = [
    lambda i: (f"身份证号：{{ID:{i}}}", "text"),
    lambda i: (f"公民身份号码 {{ID:{i}}}，现住址略。", "text"),
    lambda i: (f"{R.randint(1, 99)}\t{masked_name()}\t男\t{{ID:{i}}}\t低保\t3", "text"),
    lambda i: (f"申请人{{ID:{i}}}（女），经审核符合条件。", "text"),
    lambda i: (f"身份证号码：{{IDFW:{i}}}", "text"),
    lambda i: (f"身份证号 {{IDSP:{i}}}", "text"),
    lambda i: (f"证件号码：{{IDH:{i}}}", "text"),
    lambda i: (f"<table><tr><td>{R.randint(1, 9)}</td><td>{masked_name()}</td><td>{{ID:{i}}}</td><td>已发放</td></tr></table>", "html"),
    lambda i: (f"经核查，{{ID:{i}}}号身份证持有人不在救助范围。", "text"),
    lambda i: (f"（身份证：{{ID:{i}}}）", "text"),
    lambda i: (f"<p>身份证号：<span>{{ID:{i}}}</span></p>", "html"),
    lambda i: (f"序号,姓名,身份证号\n1,{masked_name()},{{ID:{i}}}", "text"),
]
for k in range(72):
    text, mode = id_layouts[k % len(id_layouts)](id17())
    add("valid_id", text, ["id_number"], mode)
for k in range(6):
    # X as the check character, upper and lower case (search for a base that gives X).
    while True:
        base = id17()
        W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        if sum(int(c) * w for c, w in zip(base, W)) % 11 == 2:
            break
    tag = "IDx" if k % 2 else "ID"
    add("valid_id", f"身份证号：{{{tag}:{base}}}", ["id_number"])
# two in one list
for k in range(6):
    add("valid_id", f"1. {{ID:{id17()}}}\n2. {{ID:{id17()}}}", ["id_number", "id_number"])

# --- valid mobiles ---
def spaced(m, sep):
    return m[:3] + sep + m[3:7] + sep + m[7:]

mob_layouts = [
    lambda m: (f"联系电话：{m}", "text"),
    lambda m: (f"手机 {spaced(m, ' ')}", "text"),
    lambda m: (f"手机：{spaced(m, '-')}", "text"),
    lambda m: (f"+86 {m}", "text"),
    lambda m: ("手机号：" + "".join(chr(ord(c) - 0x30 + 0xFF10) for c in m), "text"),
    lambda m: (f"{R.randint(1, 50)}\t{masked_name()}\t{m}\t已核实", "text"),
    lambda m: (f"<td>{masked_name()}</td><td>{m}</td>", "html"),
    lambda m: (f"联系人：{masked_name()}，{m}。", "text"),
]
for k in range(48):
    text, mode = mob_layouts[k % len(mob_layouts)](mobile())
    add("valid_mobile", text, ["mobile_number"], mode)

# --- valid bank cards ---
card_layouts = [
    lambda p: f"银行卡号：{{CARD:{p}}}",
    lambda p: f"账号 {{CARDG:{p}}}",
    lambda p: f"卡号：{{CARDH:{p}}}",
    lambda p: f"补贴发放账户：{{CARDFW:{p}}}",
    lambda p: f"开户行：某某银行夏邑支行\t账号：{{CARD:{p}}}",
    lambda p: f"{R.randint(1, 30)}\t{masked_name()}\t{{CARD:{p}}}\t1200.00",
]
for k in range(42):
    add("valid_card", card_layouts[k % len(card_layouts)](card_prefix()), ["bank_card"])

# --- typos: wrong check digit, impossible date (suspects) ---
bad_dates = ["19900230", "19871301", "20010931", "19751232", "19990229", "19601131", "19881500",
             "19930000", "20050631", "19790431"]
for k in range(18):
    add("typo_id", f"身份证号：{{IDBAD:{id17()}}}", ["id_number?"])
for k in range(16):
    base = id17(bad_dates[k % len(bad_dates)])
    add("typo_id", f"{R.randint(1, 40)}\t{masked_name()}\t{{ID:{base}}}\t待核实", ["id_number?"])
for k in range(14):
    region = R.choice(COUNTIES)
    d = birth(1930, 1998)[2:]
    add("old_id", f"原身份证号：{region}{d}{R.randint(0, 999):03d}", ["id_number?"])
for k in range(24):
    p = card_prefix()
    layout = R.choice([f"卡号：{{CARDBAD:{p}}}", f"账号 {{CARDBADG:{p}}}", f"银行账号：{{CARDBAD:{p}}}。"])
    add("typo_card", layout, ["bank_card?"])

# --- passports (suspects) ---
for k in range(20):
    digits = f"{R.randint(0, 99999999):08d}"
    kind = k % 3
    if kind == 0:
        p = "E" + digits
    elif kind == 1:
        p = "E" + R.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + digits[:7]
    else:
        p = "G" + digits
    layout = R.choice([f"护照号码：{p}", f"{masked_name()}\t护照\t{p}", f"持护照（{p}）入境"])
    add("passport", layout, ["passport?"])

# --- 统一社会信用代码: not personal data (no finding) ---
for k in range(14):
    add("uscc", f"统一社会信用代码：{uscc()}", [])
for k in range(10):
    add("uscc", f"统一社会信用代码：{uscc(digits_only=True)}", [])
for k in range(8):
    add("uscc", f"单位名称\t统一社会信用代码\n某某县某某局\t{uscc(prefix='11', date_like=True)}", [])
for k in range(6):
    add("uscc", f"索引号：{uscc(prefix='11')}/2026-{R.randint(1, 99999):05d}", [])

# --- 文号 ---
docnos = ["夏政〔2026〕3号", "豫政办〔2019〕61号", "商政文〔2020〕101号", "国办发〔2019〕41号",
          "夏民〔2026〕12号", "国发〔2021〕15号", "夏政办〔2025〕8号", "豫政〔2020〕12号",
          "夏财预〔2024〕135号", "商政办〔2023〕27号"]
for k in range(22):
    d = R.choice(docnos)
    add("docno", R.choice([f"文号：{d}", f"根据《关于印发某某办法的通知》（{d}）", f"{d}\t2026-03-02\t有效"]), [])

# --- dates ---
for k in range(22):
    b = birth(1990, 2026)
    y, m, d = b[:4], b[4:6], b[6:]
    add("date", R.choice([f"{int(y)}年{int(m)}月{int(d)}日", f"发布日期：{y}-{m}-{d}", f"{y}.{m}.{d}",
                          f"{y}/{m}/{d}", f"成文日期 {b}", f"{y}-{m}-{d} 09:30:00", f"{y}年{m}月"]), [])

# --- agency phones, marked as such ---
phones = ["0370-6212345", "（0370）6212345", "0370 6212345", "0370-12345", "12345", "400-612-3456",
          "0370－6213456", "6212345", "0370-62123456", "0371-65901234", "(0370)6256789", "110"]
labels = ["联系电话", "咨询电话", "监督电话", "举报电话", "传真", "服务热线", "办公电话", "值班电话"]
for k in range(26):
    add("agency_phone", f"{R.choice(labels)}：{R.choice(phones)}（县政务服务中心）", [])

# --- other numbers that are not personal data ---
others = [
    "人民币1,234,567.89元", "邮政编码：476400", "项目代码：2020-411426-04-01-123456",
    "豫（2020）夏邑县不动产权第0001234号", "全年受理申请1234件，办结1230件", "订单号：202401011234567890",
    "ISBN 978-7-5117-1234-5", "档案号：A2026-0012", "批准文号：国药准字H20203456",
    "第18号公告", "共计12,345,678人次", "流水号 20260302000123456789", "金额1234567890123.45元",
    "车牌号豫N12345", "GB/T 32100-2015", "总投资18600万元", "2026-411426-000123",
    "营业执照注册号410100000123456", "网站标识码4114260001", "豫ICP备12345678号",
    # Hard cases: serials shaped like card numbers (a prefix of a card issuer, 16–19 digits)
    # are flagged 「疑似」 银行卡号 and count against precision here.
    "交易流水号：6217002020123456789", "缴款识别码 4114260000012345678",
    "非税收入缴款码：41142626000000123456", "电子税票号码 335016260300012345", "合同编号 HT-2026-0012",
]
for o in others:
    add("other", o, [])

print("# The labelled corpus of the 保密审查 scanner (issue 11.2), written by make_corpus.py.")
print("# tag <TAB> mode <TAB> input <TAB> expected findings (keys, ? for a suspect; - for none).")
print("# Placeholders ({ID:…}, {CARD:…} …) are expanded by tests/common/mod.rs into synthetic")
print("# numbers; tags valid_* are personal data that must all be found, uscc/docno/date/")
print("# agency_phone/other are not personal data and must not be found.")
for tag, mode, text, expected in rows:
    # Tabs and line breaks inside a snippet are written as \t and \n.
    print("\t".join([tag, mode, text.replace("\t", "\\t").replace("\n", "\\n"), expected]))
