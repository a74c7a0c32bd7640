import base64
import io
import zipfile
from unittest import mock

import xlrd

from odoo import fields
from odoo.exceptions import AccessError, ValidationError

from odoo.addons.aftersales_base.tests.service_record_common import create_record, signature_png

from ..wizard.aftersales_kpi_dashboard import KPIS
from .common import VisitCase


class TestKpi(VisitCase):
    """R: K1-K9 on a small data set checked by hand (period Jan-Mar 2025)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        in_warranty = cls._create_unit("2024-12-01")
        old_unit = cls._create_unit("2023-06-01")

        def visit(unit, deadline, scores=None, state="done"):
            vals = {"partner_id": cls.customer.id, "archive_id": unit.id,
                    "planned_date": deadline, "deadline": deadline}
            record = env["aftersales.visit"].create(vals)
            if scores:
                # the answers close the visit, as the survey or the visitor's form does
                record._record_answers(dict(zip(
                    ["score_structure", "score_appearance", "score_delivery", "score_price",
                     "score_service"], scores)))
            elif state == "done":
                record.action_done()
            elif state == "cancel":
                record.action_cancel()
            return record

        # K1 in warranty: due = Jan 10, Jan 20, Feb 15 (late); done = Jan 10, Jan 20 -> 2/3.
        # K2 rated: Jan 10 (avg 5), Jan 20 (avg 3.6), Feb 20 (avg 4) -> satisfied 2/3.
        # K6 service scores 5, 3, 4 -> 4.0.
        visit(in_warranty, "2025-01-10", (5, 5, 5, 5, 5))
        visit(in_warranty, "2025-01-20", (4, 4, 4, 3, 3))
        visit(in_warranty, "2025-02-15", state="planned")
        visit(old_unit, "2025-02-20", (4, 4, 4, 4, 4))
        visit(in_warranty, "2025-03-05", state="cancel")
        visit(in_warranty, "2025-04-05", (1, 1, 1, 1, 1))  # outside the period

        category_a = env["aftersales.ticket.category"].create({"name": "Spindle Noise"})
        category_b = env["aftersales.ticket.category"].create({"name": "Paint Damage"})

        def ticket(reported, answer=None, arrival=None, complaint=False, category=None):
            vals = {"partner_id": cls.customer.id, "description": "Test request",
                    "date_reported": reported + " 08:00:00", "is_complaint": complaint,
                    "category_id": category and category.id}
            if answer is not None:
                vals.update(answer_deadline=reported + " 12:00:00",
                            answered_date=reported + (" 10:00:00" if answer else " 15:00:00"),
                            answer_on_time=answer)
            if arrival is not None:
                vals.update(arrival_deadline=reported + " 20:00:00",
                            arrival_date=reported + (" 18:00:00" if arrival else " 23:00:00"),
                            arrival_on_time=arrival)
            # past history as a fixture: the owning steps would stamp today's clock
            return env["aftersales.ticket"]._create_owned(vals)

        # K3: every request is promised an answer from its report (issue 15): t1-t4 are due,
        # on time only t1 -> 1/4 (t3, never answered, is late). K5: arrivals t1, t2 -> 1/2.
        # K8: Jan 2, Feb 2, Mar 0 (t5 cancelled). K9: Spindle Noise 2, Paint Damage 1.
        ticket("2025-01-05", answer=True, arrival=True)
        ticket("2025-01-15", answer=True, arrival=False, complaint=True, category=category_a)
        ticket("2025-02-10", complaint=True, category=category_b)
        ticket("2025-02-11", answer=False, complaint=True, category=category_a)
        ticket("2025-03-01", answer=True)._write_owned({"state": "cancel"})

        def training(day, passed, done=True):
            record = env["aftersales.training"].create({
                "archive_id": in_warranty.id, "date": day, "usage_explained": True,
                "instructions_supplied": True,
                "trainee_ids": [(0, 0, {"name": "T%d" % i, "passed": ok})
                                for i, ok in enumerate(passed)]})
            if done:
                record.action_done()

        # K4: done trainings: 2 of 3 passed, 1 of 1 -> 3/4; the planned one is left out.
        training("2025-01-20", [True, True, False])
        training("2025-02-01", [True])
        training("2025-02-02", [False], done=False)
        def service(signed_on, budget=1000.0, sign=True, **costs):
            record = create_record(env, in_warranty, cost_budget=budget, **costs)
            if record.is_cost_overrun:
                record.cost_overrun_reason = "Second trip: the spare valve came a day late."
            if sign:
                record.action_request_signature()
                record.action_sign("Li Lei", signature_png())
                # action_sign stamps "now"; put the service back in the test period.
                env.cr.execute("UPDATE aftersales_service_record SET signed_on = %s WHERE id = %s",
                               (signed_on, record.id))
            return record

        # K7 signed in the period: 300 + 100 = 400 (Jan) and 500 + 400 + 300 = 1200 over its
        # 1000 budget (Feb) -> 800 per service, 1 overrun; a draft and an April one left out.
        service("2025-01-12 09:00:00", cost_vehicle=300.0, cost_consumables=100.0)
        service("2025-02-03 09:00:00", cost_vehicle=500.0, cost_consumables=400.0,
                cost_other=300.0)
        service(None, sign=False, cost_vehicle=700.0)
        service("2025-04-02 09:00:00", cost_vehicle=5000.0)
        env["aftersales.service.record"].invalidate_cache()

        cls.dashboard = env["aftersales.kpi.dashboard"].create(
            {"date_from": "2025-01-01", "date_to": "2025-03-31"})

    def test_kpis_of_the_period(self):
        values = self.dashboard._kpi_values()
        self.assertEqual((values["k1"]["numerator"], values["k1"]["denominator"]), (2, 3))
        self.assertAlmostEqual(values["k1"]["actual"], 66.6667, places=3)
        self.assertEqual((values["k2"]["numerator"], values["k2"]["denominator"]), (2, 3))
        self.assertEqual((values["k3"]["numerator"], values["k3"]["denominator"]), (1, 4))
        self.assertAlmostEqual(values["k3"]["actual"], 25.0, places=3)
        self.assertEqual((values["k4"]["numerator"], values["k4"]["denominator"]), (3, 4))
        self.assertEqual(values["k4"]["actual"], 75.0)
        self.assertEqual(values["k5"]["actual"], 50.0)
        self.assertEqual(values["k6"]["actual"], 4.0)
        self.assertEqual((values["k7"]["numerator"], values["k7"]["denominator"]), (1600.0, 2))
        self.assertEqual(values["k7"]["actual"], 800.0)
        self.assertEqual(values["k8"]["actual"], 4)
        self.assertEqual(self.dashboard._complaints_by_category(),
                         [("Spindle Noise", 2), ("Paint Damage", 1)])

    def test_month_report_counts_and_weighted_rates_of_its_last_refresh(self):
        """Issue 8 (R: K3, K5, K8, K9): the pre-aggregated monthly pivot gives the numbers of
        the live report as of its last refresh, rates weighted by requests."""
        Month = self.env["aftersales.ticket.month.report"]
        Month._refresh()
        period = [("month", ">=", "2025-01"), ("month", "<=", "2025-03")]
        total, = Month.read_group(
            period, ["nbr", "complaint_count", "timeliness_rate", "arrival_rate"], [])
        self.assertEqual((total["nbr"], total["complaint_count"]), (4, 3))
        # 1 of 4 promised requests on time
        self.assertAlmostEqual(total["timeliness_rate"], 25.0)
        self.assertEqual(total["arrival_rate"], 50.0)
        self.assertNotIn("on_time_count", total)
        by_month = {group["month"]: group for group in Month.read_group(
            period, ["nbr", "timeliness_rate", "month"], ["month"])}
        self.assertEqual(sorted(by_month), ["2025-01", "2025-02"])  # March: cancelled only
        self.assertEqual((by_month["2025-01"]["nbr"], by_month["2025-01"]["timeliness_rate"]),
                         (2, 50.0))
        self.assertEqual((by_month["2025-02"]["nbr"], by_month["2025-02"]["timeliness_rate"]),
                         (2, 0.0))
        complaints = {group["category_id"][1]: group["complaint_count"]
                      for group in Month.read_group(period + [("is_complaint", "=", True)],
                                                    ["complaint_count", "category_id"],
                                                    ["category_id"])}
        self.assertEqual(complaints, {"Spindle Noise": 2, "Paint Damage": 1})
        # a new request counts from the next refresh (the hourly job) on
        self.env["aftersales.ticket"]._create_owned({
            "partner_id": self.customer.id, "description": "Late report",
            "date_reported": "2025-03-15 08:00:00"})
        self.assertEqual(Month.read_group(period, ["nbr"], [])[0]["nbr"], 4)
        Month._cron_refresh_month_reports()
        self.assertEqual(Month.read_group(period, ["nbr"], [])[0]["nbr"], 5)

    def test_month_reports_say_as_of_when_and_a_manager_refreshes_them_now(self):
        """Issue 15: a monthly report shows the time of its numbers; "refresh now" is the
        manager's, and counts the requests of the last hour."""
        Month = self.env["aftersales.ticket.month.report"]
        action = "aftersales_survey.aftersales_ticket_month_report_action"
        with mock.patch.object(fields.Datetime, "now", return_value="2026-12-03 01:00:00"):
            Month._refresh()
        opened = Month.sudo(self.manager).with_context(tz="Asia/Shanghai")._action_as_of(action)
        self.assertIn("2026-12-03 09:00", opened["name"])
        period = [("month", ">=", "2025-01"), ("month", "<=", "2025-03")]
        before = Month.read_group(period, ["nbr"], [])[0]["nbr"]
        self.env["aftersales.ticket"]._create_owned({
            "partner_id": self.customer.id, "description": "Reported a minute ago",
            "date_reported": "2025-03-15 08:00:00"})
        with self.assertRaises(AccessError):
            Month.sudo(self.hotline)._action_refresh_now(action)
        self.assertEqual(Month.read_group(period, ["nbr"], [])[0]["nbr"], before)
        reopened = Month.sudo(self.manager)._action_refresh_now(action)
        self.assertEqual(Month.read_group(period, ["nbr"], [])[0]["nbr"], before + 1)
        self.assertNotIn("2026-12-03 09:00", reopened["name"])
        dashboard = self.dashboard.sudo(self.manager)
        self.assertEqual(dashboard.month_reports_as_of, Month._refreshed_at())

    def test_visit_month_report_rates_of_the_period(self):
        """Issue 8 (R: K1, K2, K6): the monthly pivot gives the dashboard's figures."""
        Month = self.env["aftersales.visit.month.report"]
        Month._refresh()
        period = [("month", ">=", "2025-01"), ("month", "<=", "2025-03")]
        measures = ["due_count", "done_count", "visit_rate", "rated_count",
                    "satisfaction_rate", "score_service"]
        in_warranty, = Month.read_group(period + [("in_warranty", "=", True)], measures, [])
        # K1: 2 of the 3 visits due in warranty were done
        self.assertEqual((in_warranty["done_count"], in_warranty["due_count"]), (2, 3))
        self.assertAlmostEqual(in_warranty["visit_rate"], 200.0 / 3)
        total, = Month.read_group(period, measures, [])
        # K2: 2 of 3 rated visits satisfied; K6: service scores 5, 3, 4
        self.assertEqual(total["rated_count"], 3)
        self.assertAlmostEqual(total["satisfaction_rate"], 200.0 / 3)
        self.assertEqual(total["score_service"], 4.0)
        by_month = {group["month"]: group["score_service"] for group in Month.read_group(
            period, ["score_service", "month"], ["month"])}
        # March has only a cancelled visit: no score, which is not a score of 0
        self.assertEqual(by_month, {"2025-01": 4.0, "2025-02": 4.0, "2025-03": None})

    def test_training_month_report_pass_rate_weighted_by_trainees(self):
        """Issue 8 (R: K4): 3 of 4 trainees passed, whatever the size of each month."""
        Month = self.env["aftersales.training.month.report"]
        Month._refresh()
        period = [("month", ">=", "2025-01"), ("month", "<=", "2025-03")]
        total, = Month.read_group(period, ["nbr", "passed_count", "pass_rate"], [])
        self.assertEqual((total["nbr"], total["passed_count"], total["pass_rate"]), (4, 3, 75.0))
        by_month = {group["month"]: group["pass_rate"]
                    for group in Month.read_group(period, ["pass_rate", "month"], ["month"])}
        self.assertAlmostEqual(by_month["2025-01"], 200.0 / 3)
        self.assertEqual(by_month["2025-02"], 100.0)
        self.assertEqual(len(by_month), 2)  # the planned training is left out

    def test_dashboard_fields_show_actual_and_target(self):
        dashboard = self.dashboard
        self.assertAlmostEqual(dashboard.k1_actual, 66.67, places=2)
        self.assertEqual(dashboard.k1_target, 100.0)
        self.assertEqual(dashboard.k2_target, 98.0)
        self.assertEqual((dashboard.k3_target, dashboard.k4_target), (98.0, 100.0))
        self.assertEqual((dashboard.k4_actual, dashboard.k5_actual), (75.0, 50.0))
        self.assertEqual((dashboard.k8_actual, dashboard.k9_actual), (4, 3))
        self.assertEqual((dashboard.k6_actual, dashboard.k6_target), (4.0, 4.0))
        self.assertEqual((dashboard.k7_actual, dashboard.k7_target), (800.0, 1000.0))
        self.assertEqual(dashboard.k7_overrun_count, 1)

    def test_k7_cost_below_target_is_reached(self):
        """R: K7 - lower is better for the cost per service; higher for the rates (K1)."""
        kpis = {kpi.code: kpi for kpi in KPIS}
        Dashboard = self.env["aftersales.kpi.dashboard"]
        self.assertTrue(Dashboard._target_reached(kpis["k7"], 800.0, 1000.0))
        self.assertTrue(Dashboard._target_reached(kpis["k7"], 1000.0, 1000.0))
        self.assertFalse(Dashboard._target_reached(kpis["k7"], 1000.01, 1000.0))
        self.assertFalse(Dashboard._target_reached(kpis["k1"], 66.7, 100.0))
        self.assertIsNone(Dashboard._target_reached(kpis["k7"], None, 1000.0))

    def test_k7_report_lists_costs_and_explained_overruns(self):
        rows = self.env["aftersales.service.cost.report"].search(
            [("date", ">=", "2025-01-01"), ("date", "<=", "2025-03-31")], order="date")
        self.assertEqual(rows.mapped("cost_total"), [400.0, 1200.0])
        self.assertEqual(rows.mapped("month"), ["2025-01", "2025-02"])
        overrun = rows.filtered("is_cost_overrun")
        self.assertEqual(overrun.cost_other, 300.0)
        self.assertIn("Second trip", overrun.cost_overrun_reason)

    def test_kpis_by_month(self):
        monthly = self.dashboard._kpi_values(by_month=True)
        self.assertEqual(monthly["k1"]["2025-01"]["actual"], 100.0)
        self.assertEqual(monthly["k1"]["2025-02"]["actual"], 0.0)
        self.assertNotIn("2025-03", monthly["k8"])
        self.assertEqual({m: v["actual"] for m, v in monthly["k8"].items()},
                         {"2025-01": 2, "2025-02": 2})
        self.assertEqual({m: v["actual"] for m, v in monthly["k7"].items()},
                         {"2025-01": 400.0, "2025-02": 1200.0})

    def test_targets_follow_the_settings(self):
        settings = self.env["res.config.settings"].create({"aftersales_target_satisfaction": 95})
        settings.execute()
        self.assertEqual(self.env.user.company_id.aftersales_target_satisfaction, 95.0)
        self.dashboard.invalidate_cache()
        self.assertEqual(self.dashboard.k2_target, 95.0)
        self.env["res.config.settings"].create({
            "aftersales_target_service_score": 4.5,
            "aftersales_target_cost_per_service": 600.0}).execute()
        self.dashboard.invalidate_cache()
        self.assertEqual((self.dashboard.k6_target, self.dashboard.k7_target), (4.5, 600.0))

    def test_score_and_cost_targets_out_of_range_refused(self):
        for vals in ({"aftersales_target_service_score": 5.5},
                     {"aftersales_target_service_score": -1},
                     {"aftersales_target_cost_per_service": -10.0}):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                self.env["res.config.settings"].create(vals)
        self.assertEqual(self.env.user.company_id.aftersales_target_cost_per_service, 1000.0)

    def test_new_period_drops_the_exported_file(self):
        """The download link offered after an export disappears when the period changes."""
        self.dashboard.action_export_xlsx()
        form = self.env["aftersales.kpi.dashboard"].new(
            {"date_from": self.dashboard.date_from, "date_to": self.dashboard.date_to,
             "xlsx_file": self.dashboard.xlsx_file})
        form._onchange_period()
        self.assertFalse(form.xlsx_file)

    def test_xlsx_export_read_back(self):
        """One sheet per KPI by month, targets vs actuals, a chart of requests per month."""
        self.dashboard.action_export_xlsx()
        self.assertRegex(self.dashboard.xlsx_filename, r"^aftersales_kpis_.*\.xlsx$")
        content = base64.b64decode(self.dashboard.xlsx_file)
        book = xlrd.open_workbook(file_contents=content)
        self.assertEqual(book.sheet_names(),
                         ["Summary", "K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8", "K9"])
        summary = book.sheet_by_name("Summary")
        self.assertEqual(summary.cell_value(3, 0), "K1 In-Warranty Return-Visit Rate (%)")
        self.assertAlmostEqual(summary.cell_value(3, 1), 66.6667, places=3)
        self.assertEqual(summary.cell_value(3, 2), 100.0)
        self.assertEqual(summary.cell_value(3, 3), "No")
        k7_row = [summary.row_values(r) for r in range(3, summary.nrows)
                  if summary.cell_value(r, 0) == "K7 Cost per Service"][0]
        self.assertEqual(k7_row[1:4], [800.0, 1000.0, "Yes"])
        k7 = book.sheet_by_name("K7")
        self.assertEqual(k7.row_values(4)[:5], ["2025-02", 1200.0, 1, 1200.0, 1000.0])
        k8 = book.sheet_by_name("K8")
        self.assertEqual([k8.row_values(r)[:2] for r in range(3, 6)],
                         [["2025-01", 2], ["2025-02", 2], ["2025-03", 0]])
        k1 = book.sheet_by_name("K1")
        self.assertEqual(k1.row_values(3)[:5], ["2025-01", 2, 2, 100.0, 100.0])
        k9 = book.sheet_by_name("K9")
        self.assertEqual(k9.row_values(3), ["Spindle Noise", 2])
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            self.assertIn("xl/charts/chart1.xml", archive.namelist())

    def test_period_ending_before_it_starts_refused(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.env["aftersales.kpi.dashboard"].create(
                {"date_from": "2025-03-01", "date_to": "2025-01-01"})
