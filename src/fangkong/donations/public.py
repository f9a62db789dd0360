"""The public disclosure of donations (捐赠公示): no login, one page and one workbook per
district or town.

Everything shown comes from `selectors.public_disclosure`, which reads no contact, phone,
address or credit code and names a person only with consent, and the template uses neither
the user nor a CSRF token: the page is the same for everybody, so proxies may cache it.
"""

import io

import xlsxwriter
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from fangkong.donations import selectors

CACHE_SECONDS = 300
PAGE_SIZE = 300
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _district(code: str):
    area = selectors.public_district(code)
    if area is None:
        raise Http404
    return area


def _cacheable(response):
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


@require_safe
def public_page(request, district_code):
    area = _district(district_code)
    # The totals cover every donation; the table shows them a page at a time (the workbook
    # holds them all), so a district with thousands of donations still gets a light page.
    data = selectors.public_disclosure(area, page=request.GET.get("page"), per_page=PAGE_SIZE)
    # Rendered without the request: no context processor reads the user or the session, so
    # nothing personal can reach the page and no "Vary: Cookie" keeps caches from sharing it.
    content = render_to_string(
        "donations/public.html",
        {"data": data, "page_obj": data["page"], "generated_at": timezone.localtime()},
    )
    return _cacheable(HttpResponse(content))


@require_safe
def public_export(request, district_code):
    area = _district(district_code)
    data = selectors.public_disclosure(area)
    response = HttpResponse(workbook(data), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="donations-{area.code}.xlsx"'
    return _cacheable(response)


def workbook(data: dict) -> bytes:
    """The public figures as a workbook: the donations, money, goods, destinations, uses.
    Headers are the Chinese of the published table (data, like import headers)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})

    def sheet(name, headers, widths):
        ws = book.add_worksheet(name)
        for col, (header, width) in enumerate(zip(headers, widths, strict=True)):
            ws.write(0, col, header, bold)
            ws.set_column(col, col, width)
        ws.freeze_panes(1, 0)
        return ws

    ws = sheet(
        "捐赠明细",
        [
            "编号",
            "接收日期",
            "接收单位",
            "捐赠方",
            "捐款金额（元）",
            "捐赠渠道",
            "用途",
            "捐赠物资",
            "物资估值（元）",
        ],
        [18, 12, 16, 24, 14, 12, 24, 40, 14],
    )
    for r, row in enumerate(data["donations"], start=1):
        ws.write(r, 0, row["number"])
        ws.write_datetime(r, 1, _datetime(row["received_on"]), day)
        ws.write(r, 2, row["unit"])
        ws.write(r, 3, row["donor"])
        ws.write_number(r, 4, float(row["amount"]), money)
        ws.write(r, 5, row["channel"])
        ws.write(r, 6, row["purpose"] or row["designation"])
        ws.write(r, 7, row["goods"])
        ws.write_number(r, 8, float(row["goods_value"]), money)

    ws = sheet("捐款汇总", ["项目", "金额（元）"], [24, 16])
    r = 1
    summary = [
        ("接收捐款", data["money"]["received"]),
        ("已使用", data["money"]["used"]),
        ("结余", data["money"]["balance"]),
    ]
    summary += [(f"渠道：{label}", amount) for label, amount in data["money"]["by_channel"]]
    summary += [(f"用途：{label}", amount) for label, amount in data["money"]["by_designation"]]
    for label, amount in summary:
        ws.write(r, 0, label)
        ws.write_number(r, 1, float(amount), money)
        r += 1

    ws = sheet(
        "物资汇总",
        ["类别", "物资名称", "规格", "单位", "数量", "估值（元）"],
        [14, 20, 16, 8, 12, 14],
    )
    for r, item in enumerate(data["goods"]["items"], start=1):
        ws.write(r, 0, item["category"])
        ws.write(r, 1, item["name"])
        ws.write(r, 2, item["specification"])
        ws.write(r, 3, item["unit"])
        ws.write_number(r, 4, float(item["quantity"]))
        ws.write_number(r, 5, float(item["value"]), money)

    ws = sheet("物资去向", ["去向单位", "物资名称", "单位", "数量"], [24, 20, 8, 12])
    for r, row in enumerate(data["destinations"], start=1):
        ws.write(r, 0, row["destination"])
        ws.write(r, 1, row["item"])
        ws.write(r, 2, row["unit"])
        ws.write_number(r, 3, float(row["quantity"]))

    ws = sheet("捐款使用", ["日期", "用途", "金额（元）", "来源捐赠"], [12, 30, 14, 18])
    for r, row in enumerate(data["disbursements"], start=1):
        ws.write_datetime(r, 0, _datetime(row["paid_on"]), day)
        ws.write(r, 1, row["purpose"])
        ws.write_number(r, 2, float(row["amount"]), money)
        ws.write(r, 3, row["donation"])
    book.close()
    return out.getvalue()


def _datetime(day):
    import datetime

    return datetime.datetime.combine(day, datetime.time.min)
