from odoo.exceptions import UserError

from .common import VisitCase


class TestTraining(VisitCase):
    """R: T1, T2 - handover training with a pass/fail per trainee."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit = cls._create_unit("2026-03-02")

    def _training(self, passed, **vals):
        values = {"archive_id": self.unit.id, "date": "2026-03-03",
                  "trainee_ids": [(0, 0, {"name": "Trainee %d" % i, "passed": ok})
                                  for i, ok in enumerate(passed)]}
        values.update(vals)
        return self.env["aftersales.training"].sudo(self.engineer).create(values)

    def test_pass_rate_and_timeline(self):
        training = self._training([True, True, False], usage_explained=True,
                                  instructions_supplied=True)
        self.assertAlmostEqual(training.pass_rate, 66.67, places=2)
        self.assertEqual(training.partner_id, self.customer)
        training.sudo(self.engineer).action_done()
        self.assertEqual(training.state, "done")
        self.assertTrue(self.unit.event_ids.filtered(
            lambda e: e.res_model == "aftersales.training" and e.res_id == training.id))

    def test_cannot_close_without_instructions_or_trainees(self):
        """R: T2 - usage explained and instructions supplied before closing."""
        training = self._training([True])
        with self.assertRaises(UserError):
            training.sudo(self.engineer).action_done()
        empty = self._training([], usage_explained=True, instructions_supplied=True)
        with self.assertRaises(UserError):
            empty.sudo(self.engineer).action_done()
        self.assertEqual((training.state, empty.state), ("draft", "draft"))

    def test_done_training_cannot_be_deleted(self):
        training = self._training([True], usage_explained=True, instructions_supplied=True)
        training.sudo(self.engineer).action_done()
        with self.assertRaises(UserError):
            training.sudo(self.manager).unlink()
