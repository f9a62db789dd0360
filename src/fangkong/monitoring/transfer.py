"""Import of a laboratory's results (检测结果): one row per sample, matched by its number.

A row whose sample number is unknown in the importer's scope, already has another result,
appears twice in the file, or is dated in the future or before the sampling is an error with
its row number; as everywhere, one error and nothing is written. Positive rows raise the
highest alert exactly as a result entered by hand does.
"""

import datetime
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.core.transfer.registry import register
from fangkong.core.transfer.spec import Column, Importer, RowInvalid
from fangkong.monitoring.models import Sample
from fangkong.monitoring.services import result_apply, result_problems

# The lab's words for a result; the template offers the first three.
RESULT_WORDS = {
    "阴性": Sample.Result.NEGATIVE,
    "阳性": Sample.Result.POSITIVE,
    "无效": Sample.Result.INVALID,
    "阴": Sample.Result.NEGATIVE,
    "阳": Sample.Result.POSITIVE,
    "negative": Sample.Result.NEGATIVE,
    "positive": Sample.Result.POSITIVE,
    "invalid": Sample.Result.INVALID,
}


class ResultRow(NamedTuple):
    sample_no: str
    result: str
    result_on: datetime.date | None
    lab: str


class LabResultImporter(Importer):
    kind = "lab-results"
    label = gettext_lazy("Laboratory results")
    permission = "monitoring.import_results"
    target_type = "sample"
    batch_size = 900
    columns = (
        Column(
            "sample_no",
            "样本编号",
            required=True,
            max_length=40,
            width=18,
            aliases=("样本号", "标本编号"),
            note=gettext_lazy("The number on the sample tube, as recorded at sampling."),
        ),
        Column(
            "result",
            "检测结果",
            required=True,
            width=10,
            choices=("阴性", "阳性", "无效"),
            strict=False,
            aliases=("结果",),
        ),
        Column(
            "result_on",
            "检测日期",
            required=True,
            width=12,
            aliases=("报告日期",),
            note=gettext_lazy("Date of the result, e.g. 2020-02-10."),
        ),
        Column("lab", "检测机构", max_length=100, width=20, aliases=("检测单位",)),
    )

    def prepare(self, run, values):
        errors = {}
        result = RESULT_WORDS.get(values["result"].strip().lower(), "")
        if not result:
            errors["result"] = _("Write 阴性, 阳性 or 无效")
        result_on = None
        try:
            result_on = datetime.date.fromisoformat(values["result_on"].strip()[:10])
        except ValueError:
            errors["result_on"] = _("Write the date as 2020-02-10")
        row = ResultRow(values["sample_no"].strip(), result, result_on, values["lab"].strip())
        if result_on and result_on > run.today:
            errors["result_on"] = _("The date cannot be in the future")
        if errors:
            raise RowInvalid(errors, row=row)
        return row

    def check(self, run, rows):
        numbers = [row.sample_no for _number, row in rows if row.sample_no]
        found = {
            sample.sample_no: sample
            for sample in Sample.objects.within(run.scope)
            .filter(sample_no__in=numbers)
            .select_related("key_person__person")
        }
        seen = run.data.setdefault("seen", {})
        samples = run.data.setdefault("samples", {})
        for number, row in rows:
            first = seen.setdefault(row.sample_no, number)
            if first != number:
                run.error(
                    number,
                    "sample_no",
                    _("The same sample number is already in row %(row)d") % {"row": first},
                )
                continue
            sample = found.get(row.sample_no)
            if sample is None:
                run.error(
                    number,
                    "sample_no",
                    _("Unknown sample number %(number)s") % {"number": row.sample_no},
                )
                continue
            if not row.result or row.result_on is None:
                continue
            for key, message in result_problems(sample, row.result, row.result_on).items():
                run.error(number, key if key in ("result", "result_on") else None, message)
            samples[number] = sample

    def write(self, run):
        samples = run.data.get("samples") or {}
        for number, row in run.rows:
            result_apply(samples[number], row.result, row.result_on, row.lab)
        return len(run.rows)


register(LabResultImporter)
