"""Audit: state changes, approvals and signatures are in the chatter with who and when; used
business records cannot be deleted (the message says to archive or cancel instead)."""
from odoo.exceptions import UserError
from odoo.tests.common import SavepointCase

from security_world import build_world, signature_png

OUR_ADDONS = ("aftersales_base", "aftersales_warranty", "aftersales_parts", "aftersales_survey")


class TestAudit(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users, samples, cls.extra = build_world(cls.env, prefix="audit")
        # The world was built without mail noise; the checks below want the real chatter.
        cls.samples = {model: cls.env[model].browse(record.ids)
                       for model, record in samples.items()}

    def _state_messages(self, record, new_label):
        return record.message_ids.filtered(lambda m: any(
            v.field == "state" and v.new_value_char == new_label
            for v in m.tracking_value_ids))

    def test_every_stateful_document_tracks_its_state_in_the_chatter(self):
        checked = []
        for name, model in self.env.registry.models.items():
            if model._original_module not in OUR_ADDONS or model._abstract \
                    or model._transient or not model._auto or "state" not in model._fields:
                continue
            field = model._fields["state"]
            self.assertTrue(issubclass(model, self.env.registry["mail.thread"]), name)
            self.assertEqual(field.track_visibility, "onchange", name)
            checked.append(name)
        self.assertEqual(len(checked), 9, checked)

    def test_state_change_records_who_and_when(self):
        user = self.users["hotline"]  # triage is the hotline's step (issue 13)
        ticket = self.samples["aftersales.ticket"]
        ticket.sudo(user).action_triage()
        message = self._state_messages(ticket, "Triage")
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, user.partner_id)
        self.assertTrue(message.date)

    def test_signature_records_who_and_when(self):
        record = self.samples["aftersales.service.record"]
        # The portal controller signs in sudo once the customer's access is checked: the
        # message names the signer, signed_on and the message date say when.
        record.sudo().action_sign("Wang Audit", signature_png())
        self.assertTrue(record.signed_on)
        signed = record.message_ids.filtered(lambda m: "Signed by Wang Audit" in m.body)
        self.assertEqual(len(signed), 1)
        self.assertTrue(signed.date)
        self.assertEqual(len(self._state_messages(record, "Signed")), 1)

    def test_used_business_records_cannot_be_deleted(self):
        """As the superuser (no access right in the way): the guard itself refuses, and says
        what to do instead."""
        record = self.samples["aftersales.service.record"]
        record.sudo().action_sign("Wang Audit", signature_png())
        request = self.samples["aftersales.parts.request"]
        request.action_submit()
        training = self.samples["aftersales.training"]  # done
        visit = self.samples["aftersales.visit"]
        visit._finish(done_date="2026-02-05")  # state and done date are the visit's own
        exclusion = self.samples["aftersales.warranty.exclusion"]
        self.samples["aftersales.ticket"].write({"exclusion_id": exclusion.id})
        used = [
            self.samples["aftersales.archive"], self.samples["aftersales.ticket"],
            self.samples["aftersales.ticket.category"], record, record.change_ids[:1],
            self.samples["aftersales.warranty"], exclusion,
            self.samples["aftersales.core.return"], request, request.line_ids[:1],
            training, training.trainee_ids[:1], visit,
        ]
        for document in used:
            self.assertTrue(document, document._name)
            with self.assertRaises(UserError, msg=document._name) as caught:
                document.unlink()
            message = caught.exception.name.lower()
            self.assertTrue(any(word in message for word in ("archive", "cancel", "reset",
                                                              "signed", "locked")),
                            "%s: %s" % (document._name, message))
            self.assertTrue(document.exists(), document._name)
        self.assertEqual(len(used), 13)
