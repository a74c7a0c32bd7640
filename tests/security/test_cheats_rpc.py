"""The cheat suite of issue 13: over JSON-RPC, against this run's real server, as each role.

Never as admin, never with sudo(): every call goes through /jsonrpc (execute_kw with login and
password) or /web/dataset/call_kw (a logged-in session) as a user holding one role group. Each
cheat must be refused with a business error (UserError / AccessError / ValidationError, not a
traceback of another kind) AND leave the database as it was (read back by the test's superuser
environment, in one read per document and step).

Generated from the models' declarations (tests/guard_declarations.py), so that a new owned field,
a new locked state or a new guarded model is covered without new code:

- every guarded model x every owned field x every role with write (create) access: a `write`
  of a plausible different value on an existing document, a `create` naming the field with a
  value other than its default; the portal customer writes the state of what it can read;
- every locked state x every field that is not free: a `write` by a role that may write the
  model, and the lines of the document (its one2many comodels) created, changed and deleted;
- every field reserved to roles (`_guard_field_roles`) written by each role without them;
- approvals (R: S10-S13, P1) on the tier-validated documents: reviews created or written as
  approved, reviews deleted or edited through the document, the requester approving, one
  person approving two levels, a non-reviewer approving or rejecting.
Controls: each role's plain write / create of the same document must be accepted, or the
refusals prove nothing (a document no role can write is reported).
"""
from datetime import timedelta

from odoo import fields as odoo_fields

from guard_declarations import (
    ROLE_GROUPS, TIER_DOCUMENTS, declared_fields, guarded_models, tier_models)
from rpc_case import RpcCase
from security_world import build_world, signature_png

ROLES = tuple(ROLE_GROUPS)
# The role whose writes test the locks of a state: may write every document (manager), so
# what stops it is the lock, not a missing right.
LOCK_ROLES = ("manager", "general_manager", "engineer", "hotline", "parts_clerk", "quality")
SKIPPED_TYPES = ("reference", "serialized")
OUR_ADDONS = ("aftersales_base", "aftersales_warranty", "aftersales_parts", "aftersales_survey")


class CheatCase(RpcCase):

    def setUp(self):
        super().setUp()
        world_users, self.samples, self.extra = build_world(self.env, prefix="cheat")
        # the world's personas of the roles (each holds one role group) and customer A
        self.users = {role: world_users[role] for role in ROLES}
        self.users["portal"] = world_users["portal_a"]
        self._add_samples()
        self.commit()

    # Samples -------------------------------------------------------------------------------

    def _add_samples(self):
        """A document of every guarded model (security_world's, else a repair of the world's
        unit, else any record of the model), with a line in each of its line fields."""
        env = self.env
        if "mrp.repair" in env and "mrp.repair" not in self.samples:
            product = self.extra["product"]
            archive = self.samples["aftersales.archive"]
            part = env["product.product"].create({"name": "Cheat Spindle Bearing",
                                                  "type": "consu", "standard_price": 300.0,
                                                  "list_price": 600.0})
            stock = env.ref("stock.stock_location_stock")
            self.samples["mrp.repair"] = env["mrp.repair"].create({
                "product_id": product.id, "product_uom": product.uom_id.id,
                "partner_id": self.extra["customer_a"].id, "archive_id": archive.id,
                "lot_id": archive.lot_id.id,
                "location_id": stock.id, "location_dest_id": stock.id,
                "operations": [(0, 0, {
                    "name": "Bearing", "type": "add", "product_id": part.id,
                    "product_uom": part.uom_id.id, "product_uom_qty": 1.0, "price_unit": 600.0,
                    "location_id": stock.id,
                    "location_dest_id": env.ref("stock.location_production").id})]})
        for name in guarded_models(env):
            if name not in self.samples:
                sample = env[name].with_context(active_test=False).search([], limit=1)
                if sample:
                    self.samples[name] = sample

    def _state(self, record):
        field = getattr(record, "_guard_state_field", "state")
        return record[field] if field in record._fields else False

    def _set_state(self, record, state):
        """Put a document in `state` behind every guard (set-up, not a cheat): SQL."""
        field = getattr(record, "_guard_state_field", "state")
        document = record
        # a line's state is its document's (related field): the document is put in it
        for name in record._fields[field].related or ():
            if document._fields[name].type == "many2one":
                document = document[name]
            else:
                field = name
        self.env.cr.execute('UPDATE "%s" SET "%s" = %%s WHERE id = %%s'
                            % (document._table, field), (state, document.id))
        record.invalidate_cache()
        document.invalidate_cache()
        self.commit()

    def _open_state(self, record):
        if record._guard_open_states and self._state(record) not in record._guard_open_states:
            self._set_state(record, record._guard_open_states[0])

    # Values ---------------------------------------------------------------------------------

    def _snapshot(self, record, names):
        record.invalidate_cache()
        values = record.with_context(active_test=False, prefetch_fields=False).read(
            [n for n in names if n in record._fields])[0]
        return values

    def _ids(self, model_name):
        return set(self.env[model_name].with_context(active_test=False).search([]).ids)

    def _other_record(self, comodel, current_ids):
        """Another record of `comodel` than the current ones (a user of a role for users)."""
        if comodel == "res.users":
            for role in ("hotline", "quality", "engineer"):
                if self.users[role].id not in current_ids:
                    return self.users[role].id
        other = self.env[comodel].with_context(active_test=False).search(
            [("id", "not in", list(current_ids))], limit=1, order="id desc")
        return other.id or None

    def _line_vals(self, field, record=None):
        """Values of a new line of one2many `field` (copied from an existing line)."""
        comodel = self.env[field.comodel_name].with_context(active_test=False)
        domain = [(field.inverse_name, "=", record.id)] if record else []
        line = comodel.search(domain, limit=1) or comodel.search([], limit=1)
        if not line:
            return None
        vals = line.copy_data()[0]
        vals.pop(field.inverse_name, None)
        return vals

    def _other_value(self, model, field, current, prefer_locked=False):
        """A plausible value of `field` different from `current` (as `read` returns it, or as
        a default), or None when none can be made."""
        kind = field.type
        if kind == "many2one":
            current = current[0] if isinstance(current, (list, tuple)) else current
            return self._other_record(field.comodel_name, {current} if current else set())
        if kind == "many2many":
            current = set(current or [])
            other = self._other_record(field.comodel_name, current)
            return [(6, 0, [other])] if other else None
        if kind == "one2many":
            if current:
                return [(2, current[0])]
            vals = self._line_vals(field)
            return [(0, 0, vals)] if vals is not None else None
        if kind == "boolean":
            return not current
        if kind in ("char", "text", "html"):
            return (current or "") + " (cheat)"
        if kind == "integer":
            return (current or 0) + 7
        if kind in ("float", "monetary"):
            return (current or 0.0) + 7.5
        if kind == "date":
            return "2020-01-15" if current != "2020-01-15" else "2020-01-16"
        if kind == "datetime":
            return "2020-01-15 08:00:00" if current != "2020-01-15 08:00:00" \
                else "2020-01-16 08:00:00"
        if kind == "binary":
            return signature_png()
        if kind == "selection":
            values = [v for v, _label in field._description_selection(self.env)]
            if prefer_locked and model._guard_locked_states:
                values = list(model._guard_locked_states) + values
            others = [v for v in values if v != current]
            return others[0] if others else None
        return None

    def _create_vals(self, model, sample, names=None):
        """Plain values of a new document like `sample`: its editable and free fields only
        (nothing owned, nothing reserved to a role, unless named), a fresh serial for units."""
        if names is None:
            names = set(model._guard_editable_fields) | set(model._guard_free_fields)
            names -= set(model._guard_field_roles or {})
        names = set(names)
        # the company: the user's own (a sample may be another company's)
        vals = {k: v for k, v in sample.copy_data()[0].items()
                if k in names and k != "company_id"
                and model._fields[k].type not in ("one2many", "many2many")}
        if model._name == "aftersales.archive" and "lot_id" in vals:
            self._serials = getattr(self, "_serials", 0) + 1
            lot = self.env["stock.production.lot"].create({
                "name": "CHEAT-SN-NEW-%d" % self._serials, "product_id": sample.product_id.id})
            vals["lot_id"] = lot.id
        return vals

    def _roles_with(self, model_name, operation):
        return [role for role in ROLES
                if self.env[model_name].sudo(self.users[role]).check_access_rights(
                    operation, raise_exception=False)]

    def _control_write(self, model, sample, writers):
        """Whether a role writes one editable (or free) field of `sample`: texts first, then
        any kind; a field reserved to roles is tried by those roles only. A model whose
        fields are all owned has nothing to control (every write is a cheat)."""
        names = [f for f in list(model._guard_editable_fields) + list(model._guard_free_fields)
                 if f in model._fields and model._fields[f].type not in SKIPPED_TYPES + (
                     "one2many", "many2many")]
        if not names:
            return True
        names.sort(key=lambda f: model._fields[f].type not in ("char", "text"))
        roles_of = model._guard_field_roles or {}
        for field_name in names:
            value = self._other_value(model, model._fields[field_name],
                                      self._snapshot(sample, [field_name]).get(field_name))
            if value is None:
                continue
            for role in writers:
                groups = roles_of.get(field_name)
                if groups and not any(self.users[role].has_group(g) for g in groups):
                    continue
                if "error" not in self.call(role, self.users[role], model._name, "write",
                                            [sample.ids, {field_name: value}]):
                    return True
        return False

    def _control_create(self, model, sample, creators):
        """(values, ids): the plain values of a new document and what the roles created with
        them; values reserved to roles are sent by the roles that hold them."""
        base = self._create_vals(model, sample)
        created = []
        for role in creators:
            vals = dict(base)
            for field_name, groups in (model._guard_field_roles or {}).items():
                if field_name in model._guard_editable_fields and any(
                        self.users[role].has_group(g) for g in groups):
                    vals.update(self._create_vals(model, sample, [field_name]))
            answer = self.call(role, self.users[role], model._name, "create", [vals])
            if "error" not in answer:
                created.append(answer["result"])
            else:
                self._control_errors.append("%s: %s" % (role, self.describe(answer)))
        return base, created

    # Checks ---------------------------------------------------------------------------------

    def _cheat(self, mismatches, what, role, model, method, args, kwargs=None):
        answer = self.call(role, self.users[role], model, method, args, kwargs)
        if not self.refused(answer):
            mismatches.append("%s as %s: %s" % (what, role, self.describe(answer)))
        return answer

    def _unchanged(self, mismatches, what, record, before):
        after = self._snapshot(record, list(before))
        changed = sorted(k for k in before if before[k] != after.get(k))
        if changed:
            mismatches.append("%s: %s changed %s" % (what, record, ", ".join(
                "%s %r -> %r" % (k, before[k], after.get(k)) for k in changed)))

    def _nothing_created(self, mismatches, what, model_name, before, allowed=()):
        created = self._ids(model_name) - before - set(allowed)
        if created:
            mismatches.append("%s: %s created %s" % (what, model_name, sorted(created)))


class TestGeneratedCheats(CheatCase):
    """Every protected field x every role x write / create, from the declarations."""

    def _models(self):
        return [name for name in guarded_models(self.env) if name in self.samples]

    def test_owned_fields_written_or_created_by_every_role(self):
        """R: S10-S16, K3-K5 (issue 13, cheats 1, 2 and 4); then the fields of a role written
        by the others."""
        self.maxDiff = None
        mismatches, tried = [], 0
        for name in self._models():
            model = self.env[name]
            sample = self.samples[name]
            self._open_state(sample)
            owned = [f for f in model._guard_owned_fields if f in model._fields
                     and model._fields[f].type not in SKIPPED_TYPES]
            writers, creators = self._roles_with(name, "write"), self._roles_with(name, "create")
            # Controls: what each role may do without cheating works (a plain write of an
            # editable field, a plain create), so that the refusals below are the guard's.
            ids_before = self._ids(name)
            if not self._control_write(model, sample, writers):
                mismatches.append("%s: no role may write any editable field of %s: the write "
                                  "cheats prove nothing" % (name, sample))
            self._control_errors = []
            base, created = self._control_create(model, sample, creators)
            if creators and model._guard_editable_fields and not created:
                mismatches.append("%s: no role may create one with plain values %s: the "
                                  "create cheats prove nothing (%s)" % (
                                      name, sorted(base), "; ".join(self._control_errors)))
            ids_before |= set(created)
            before = self._snapshot(sample, declared_fields(model))
            # what a new document of each role gets anyway (e.g. "requested by" = the user)
            defaults = {role: model.sudo(self.users[role]).default_get(owned)
                        for role in creators}
            for field_name in owned:
                field = model._fields[field_name]
                is_state = field_name == model._guard_state_field
                value = self._other_value(model, field, before.get(field_name),
                                          prefer_locked=is_state)
                for role in writers:
                    if value is not None:
                        tried += 1
                        self._cheat(mismatches, "%s.write(%s=%r)" % (name, field_name, value),
                                    role, name, "write", [sample.ids, {field_name: value}])
                for role in creators:
                    new = self._other_value(model, field, defaults[role].get(field_name),
                                            prefer_locked=is_state)
                    if new is not None:
                        tried += 1
                        self._cheat(mismatches, "%s.create(%s=%r)" % (name, field_name, new),
                                    role, name, "create", [dict(base, **{field_name: new})])
            # the portal customer: the state of a document it can read
            state_field = model._guard_state_field
            if state_field in owned and sample.sudo(self.users["portal"]).check_access_rights(
                    "read", raise_exception=False):
                value = self._other_value(model, model._fields[state_field],
                                          before.get(state_field), prefer_locked=True)
                tried += 1
                answer = self.execute_kw(self.users["portal"], name, "write",
                                         [sample.ids, {state_field: value}])
                if not self.refused(answer):
                    mismatches.append("%s.write(%s=%r) as portal: %s" % (
                        name, state_field, value, self.describe(answer)))
            self._unchanged(mismatches, "owned fields of %s" % name, sample, before)
            self._nothing_created(mismatches, "create cheats", name, ids_before)
        self._cheat_role_fields(mismatches)
        self.assertEqual(mismatches, [])
        self.assertTrue(tried or not self._models(), "no cheat tried")

    def test_locked_states_keep_everything_but_free_fields(self):
        """Closed tickets, signed records, done trainings, approved and started repairs,
        complete archives (issue 13, cheats 4 and 5): only the free fields change."""
        self.maxDiff = None
        mismatches, tried = [], 0
        for name in self._models():
            model = self.env[name]
            sample = self.samples[name]
            writers = self._roles_with(name, "write")
            role = next((r for r in LOCK_ROLES if r in writers), None)
            if not role:
                continue
            names = [f for f in model._guard_editable_fields
                     if f in model._fields and model._fields[f].type not in SKIPPED_TYPES]
            original = self._state(sample)
            for state in model._guard_locked_states:
                self._set_state(sample, state)
                before = self._snapshot(sample, declared_fields(model))
                # what the business still lets change in this state (e.g. the maker and the
                # return authorisation of a received core) is declared by the model
                writable = model._guard_writable_in(state)
                for field_name in (f for f in names if f not in writable):
                    value = self._other_value(model, model._fields[field_name],
                                              before.get(field_name))
                    if value is None:
                        continue
                    tried += 1
                    self._cheat(mismatches, "%s in %s: write(%s=%r)" % (
                        name, state, field_name, value), role, name, "write",
                        [sample.ids, {field_name: value}])
                self._cheat_lines(mismatches, model, sample, state, role)
                self._unchanged(mismatches, "%s in %s" % (name, state), sample, before)
            if original:
                self._set_state(sample, original)
        self.assertEqual(mismatches, [])
        self.assertTrue(tried or not any(self.env[n]._guard_locked_states
                                         for n in self._models()), "no cheat tried")

    def _cheat_lines(self, mismatches, model, sample, state, role):
        """The lines of a locked document: created, changed, deleted through their model."""
        guarded = set(guarded_models(self.env))
        for field_name in set(model._guard_editable_fields) | set(model._guard_owned_fields):
            field = model._fields.get(field_name)
            if not field or field.type != "one2many" or field.comodel_name in guarded:
                continue
            # lines are ours; Odoo's own documents behind a line (its stock moves) keep the
            # rules of their app (installing the suite takes nothing away from it)
            if self.env.registry[field.comodel_name]._original_module not in OUR_ADDONS:
                continue
            comodel = self.env[field.comodel_name]
            lines = sample[field_name]
            ids_before = self._ids(comodel._name)
            what = "%s in %s: line %s" % (model._name, state, comodel._name)
            vals = self._line_vals(field, sample)
            if vals is not None:
                vals[field.inverse_name] = sample.id
                self._cheat(mismatches, what + " create", role, comodel._name, "create", [vals])
            if lines:
                line = lines[0]
                line_fields = [n for n, f in comodel._fields.items()
                               if f.store and not f.compute and not f.related
                               and f.type in ("char", "text", "boolean", "float", "integer",
                                              "date", "datetime") and n not in (
                                   "id", "create_date", "write_date", "display_name")]
                before = self._snapshot(line, line_fields)
                for line_field in line_fields:
                    value = self._other_value(comodel, comodel._fields[line_field],
                                              before.get(line_field))
                    self._cheat(mismatches, "%s write(%s=%r)" % (what, line_field, value),
                                role, comodel._name, "write", [line.ids, {line_field: value}])
                self._cheat(mismatches, what + " unlink", role, comodel._name, "unlink",
                            [line.ids])
                self._unchanged(mismatches, what, line, before)
            self._nothing_created(mismatches, what, comodel._name, ids_before)
            if lines and not lines[0].exists():
                mismatches.append("%s: line deleted" % what)

    def _cheat_role_fields(self, mismatches):
        """`_guard_field_roles`: e.g. root cause and preventive action by quality (R: S16)."""
        for name in self._models():
            model = self.env[name]
            sample = self.samples[name]
            if not model._guard_field_roles:
                continue
            self._open_state(sample)
            before = self._snapshot(sample, declared_fields(model))
            writers = self._roles_with(name, "write")
            for field_name, groups in sorted(model._guard_field_roles.items()):
                value = self._other_value(model, model._fields[field_name],
                                          before.get(field_name))
                for role in writers:
                    if any(self.users[role].has_group(g) for g in groups) or value is None:
                        continue
                    self._cheat(mismatches, "%s.write(%s=%r)" % (name, field_name, value),
                                role, name, "write", [sample.ids, {field_name: value}])
            self._unchanged(mismatches, "role fields of %s" % name, sample, before)


class TestApprovalCheats(CheatCase):
    """Approvals through tier validation (R: S10, S11, S13, P1; issue 13, cheats 2 and 3).

    Each document gets two levels of its own for the test (after-sales manager, then general
    manager; the definitions of the data are switched off), its validation is requested by a
    manager, and then every shortcut is tried."""

    def _tier_setup(self, name):
        env = self.env
        sample = self.samples[name]
        model = env[name]
        env["tier.definition"].search([("model", "=", name)]).write({"active": False})
        ir_model = env["ir.model"]._get(name)
        domain = "[('id', '=', %d)]" % sample.id
        for sequence, xmlid in ((10, "aftersales_base.group_aftersales_manager"),
                                (20, "aftersales_warranty.group_aftersales_general_manager")):
            env["tier.definition"].create({
                "name": "Cheat level %d" % sequence, "model_id": ir_model.id,
                "review_type": "group", "reviewer_group_id": env.ref(xmlid).id,
                "definition_domain": domain, "sequence": sequence})
        self.env.cr.execute("DELETE FROM tier_review WHERE model = %s AND res_id = %s",
                            (name, sample.id))
        # where the requester asks for approval: the repair notice's request moves it from
        # Draft to To Approve itself (R: S10); the others are submitted into To Approve first
        start = "draft" if name == "aftersales.repair.notice" else type(model)._state_from[0]
        self._set_state(sample, start)
        self.commit()
        return sample

    def _reviews(self, sample):
        # in the order of the levels (base_tier_validation creates the last level first)
        self.env.cr.execute("""
            SELECT r.id, r.status, r.done_by FROM tier_review r
            LEFT JOIN tier_definition d ON d.id = r.definition_id
            WHERE r.model = %s AND r.res_id = %s ORDER BY d.sequence, r.sequence, r.id
        """, (sample._name, sample.id))
        return self.env.cr.fetchall()

    def test_approval_shortcuts_are_refused(self):
        self.maxDiff = None
        requester = self._make_user("cheat_requester", (
            "aftersales_base.group_aftersales_manager",))
        gm_2 = self._make_user("cheat_gm_2", (
            "aftersales_warranty.group_aftersales_general_manager",))
        self.users.update(requester=requester, gm_2=gm_2)
        self.commit()
        mismatches = []
        for name in TIER_DOCUMENTS:
            if name not in tier_models(self.env) or name not in self.samples:
                mismatches.append("%s: not on tier validation (not migrated yet)" % name)
                continue
            sample = self._tier_setup(name)
            self.ok(self.execute_kw(requester, name, "request_validation", [sample.ids]),
                    "%s: request_validation by a manager" % name)
            reviews = self._reviews(sample)
            if len(reviews) != 2:
                mismatches.append("%s: %d reviews requested, not 2" % (name, len(reviews)))
                continue
            first = reviews[0][0]
            manager, engineer, gm = (self.users[r] for r in (
                "manager", "engineer", "general_manager"))
            cheats = (
                ("the requester approves", "requester", name, "validate_tier", [sample.ids]),
                ("a non-reviewer approves", "engineer", name, "validate_tier", [sample.ids]),
                ("a non-reviewer rejects", "engineer", name, "reject_tier", [sample.ids]),
                ("a review created approved", "manager", "tier.review", "create", [{
                    "model": name, "res_id": sample.id, "status": "approved",
                    "definition_id": self.env["tier.definition"].search(
                        [("model", "=", name)], limit=1).id,
                    "done_by": manager.id, "requested_by": engineer.id}]),
                ("a review written approved by its reviewer", "manager", "tier.review",
                 "write", [[first], {"status": "approved", "done_by": manager.id,
                                     "reviewed_date": odoo_fields.Datetime.now()}]),
                ("a review written approved", "engineer", "tier.review", "write",
                 [[first], {"status": "approved"}]),
                ("a review deleted", "engineer", "tier.review", "unlink", [[first]]),
                ("reviews edited through the document", "manager", name, "write",
                 [sample.ids, {"review_ids": [(1, first, {"status": "approved"})]}]),
                ("reviews dropped through the document", "manager", name, "write",
                 [sample.ids, {"review_ids": [(5,)]}]),
            )
            users = dict(self.users)
            for what, role, model, method, args in cheats:
                answer = self.execute_kw(users[role], model, method, args)
                if not self.refused(answer):
                    mismatches.append("%s: %s (%s): %s" % (name, what, role,
                                                           self.describe(answer)))
                if self._reviews(sample) != reviews:
                    mismatches.append("%s: %s changed the reviews: %s" % (
                        name, what, self._reviews(sample)))
                    reviews = self._reviews(sample)
            # One person, one level: the general manager (a manager too) approves the first
            # level, then may not approve the second.
            self.ok(self.call_kw(gm, name, "validate_tier", [sample.ids]),
                    "%s: the general manager approves the first level" % name)
            reviews = self._reviews(sample)
            if [r[1] for r in reviews] != ["approved", "pending"] or reviews[0][2] != gm.id:
                mismatches.append("%s: after the first approval: %s" % (name, reviews))
            answer = self.call_kw(gm, name, "validate_tier", [sample.ids])
            if not self.refused(answer):
                mismatches.append("%s: one person approved two levels: %s" % (
                    name, self.describe(answer)))
            if self._reviews(sample) != reviews:
                mismatches.append("%s: the second approval by the same person changed %s" % (
                    name, self._reviews(sample)))
            self.ok(self.execute_kw(gm_2, name, "validate_tier", [sample.ids]),
                    "%s: another general manager approves the second level" % name)
            sample.invalidate_cache()
            if not sample.validated:
                mismatches.append("%s: not validated after both levels: %s" % (
                    name, self._reviews(sample)))
            else:
                self._cheat_after_approval(mismatches, name, sample)
            self._cheat_own_request(mismatches, name)
        self.assertEqual(mismatches, [])

    def _cheat_after_approval(self, mismatches, name, sample):
        """Issue 13, cheat 3: lines added after the approval (a repair under repair, 600 ->
        57,300; an approved parts request, one pump -> 40 servo motors) need a new approval,
        and the next step (end of repair, supply) waits for it."""
        lines_field, quantity, next_step, role = {
            "mrp.repair": ("operations", "product_uom_qty", "action_repair_end", "engineer"),
            "aftersales.parts.request": ("line_ids", "quantity", "action_supply",
                                         "parts_clerk"),
        }.get(name, (None, None, None, None))
        if not lines_field:
            return
        if name == "mrp.repair":
            for step in ("action_repair_confirm", "action_repair_start"):
                answer = self.call("engineer", self.users["engineer"], name, step, [sample.ids])
                if "error" in answer:
                    mismatches.append("%s: the approved repair cannot %s: %s" % (
                        name, step, self.describe(answer)))
                    return
        vals = self._line_vals(sample._fields[lines_field], sample)
        vals[quantity] = 95.0
        state = self._state(sample)
        answer = self.call("engineer", self.users["engineer"], name, "write", [
            sample.ids, {lines_field: [(0, 0, vals)]}])
        if "error" in answer:
            return  # refused outright: nothing to approve again
        sample.invalidate_cache()
        if sample.validated:
            mismatches.append("%s: lines added after the approval kept it" % name)
        answer = self.call(role, self.users[role], name, next_step, [sample.ids])
        if not self.refused(answer):
            mismatches.append("%s: %s after lines were added, without a new approval: %s" % (
                name, next_step, self.describe(answer)))
        sample.invalidate_cache()
        if self._state(sample) != state:
            mismatches.append("%s: moved from %s to %s without a new approval" % (
                name, state, self._state(sample)))

    def _cheat_own_request(self, mismatches, name):
        """R: S10 - the manager approves what he asked for himself: refused."""
        sample = self._tier_setup(name)
        manager = self.users["manager"]
        self.ok(self.execute_kw(manager, name, "request_validation", [sample.ids]),
                "%s: request_validation by a manager" % name)
        reviews = self._reviews(sample)
        answer = self.execute_kw(manager, name, "validate_tier", [sample.ids])
        if not self.refused(answer):
            mismatches.append("%s: the manager approved his own request: %s" % (
                name, self.describe(answer)))
        if self._reviews(sample) != reviews:
            mismatches.append("%s: reviews changed: %s" % (name, self._reviews(sample)))


class TestNamedCheats(CheatCase):
    """The cheats of issue 13 that are not a plain field write, each by the role that tried it
    on the demo (items 3, 4 and 5 of the issue)."""

    def _expect_refused(self, mismatches, what, role, model, method, args, kwargs=None):
        answer = self.call(role, self.users[role], model, method, args, kwargs)
        if not self.refused(answer):
            mismatches.append("%s (%s): %s" % (what, role, self.describe(answer)))
        return answer

    def test_named_cheats(self):
        self.maxDiff = None
        mismatches = []
        env = self.env
        ticket = self.samples["aftersales.ticket"]
        archive = self.samples["aftersales.archive"]
        # 5. the dispatch wizard takes a portal customer as engineer, or an appointment in the
        # past (R: S3, S4)
        self._set_state(ticket, "triage")
        before = self._snapshot(ticket, declared_fields(ticket) if hasattr(
            ticket, "_guard_owned_fields") else ["state", "engineer_id", "appointment_date"])
        context = {"active_id": ticket.id, "active_ids": ticket.ids,
                   "active_model": "aftersales.ticket"}
        tomorrow = odoo_fields.Datetime.to_string(
            odoo_fields.Datetime.from_string(odoo_fields.Datetime.now()).replace(
                microsecond=0) + timedelta(days=1))
        for what, engineer, appointment in (
                ("a portal customer dispatched as engineer", self.users["portal"], tomorrow),
                ("an appointment in the past", self.users["engineer"], "2020-01-15 08:00:00")):
            answer = self.call("hotline", self.users["hotline"], "aftersales.ticket.dispatch",
                               "create", [{
                                   "ticket_id": ticket.id, "engineer_id": engineer.id,
                                   "appointment_date": appointment,
                                   "site_address": "1 Test Road", "contact_id":
                                   self.extra["contact_a"].id, "contact_phone": "1"}],
                               {"context": context})
            if self.refused(answer):
                continue
            self._expect_refused(mismatches, what, "hotline", "aftersales.ticket.dispatch",
                                 "action_confirm", [[answer.get("result")]],
                                 {"context": context})
        self._unchanged(mismatches, "dispatch cheats", ticket, before)
        # 5. any user reopens a complete archive (R: A6)
        self._set_state(archive, "complete")
        self._expect_refused(mismatches, "a complete archive reopened", "hotline",
                             "aftersales.archive", "action_reopen", [archive.ids])
        archive.invalidate_cache()
        if archive.state != "complete":
            mismatches.append("the archive was reopened: %s" % archive.state)
        # 5. a manual archive carries the serial of another product (R: A1)
        other_product = env["product.product"].create({
            "name": "Cheat Other Machine", "type": "product", "tracking": "serial",
            "aftersales_tracked": True})
        foreign_lot = env["stock.production.lot"].create({
            "name": "CHEAT-FOREIGN-SN", "product_id": other_product.id})
        self.commit()
        ids = self._ids("aftersales.archive")
        self._expect_refused(mismatches, "an archive with the serial of another product",
                             "manager", "aftersales.archive", "create", [{
                                 "product_id": self.extra["product"].id,
                                 "lot_id": foreign_lot.id,
                                 "partner_id": self.extra["customer_a"].id}])
        self._nothing_created(mismatches, "archive cheats", "aftersales.archive", ids)
        # 5. a service record of another customer than its ticket (R: S5)
        ids = self._ids("aftersales.service.record")
        self._expect_refused(mismatches, "a service record of another customer than its "
                             "ticket", "engineer", "aftersales.service.record", "create", [{
                                 "ticket_id": ticket.id,
                                 "archive_id": self.extra["archive_b"].id,
                                 "partner_id": self.extra["customer_b"].id,
                                 "work_done": "x"}])
        self._nothing_created(mismatches, "service record cheats",
                              "aftersales.service.record", ids)
        # 4. the timeline events of a signed record rewritten (R: A5, A7)
        signed = env["aftersales.service.record"].search([("state", "=", "signed")], limit=1)
        events = env["aftersales.archive.event"].search([
            ("res_model", "=", "aftersales.service.record"), ("res_id", "=", signed.id)])
        if not events:
            mismatches.append("no filed event of a signed record to cheat on")
        for event in events[:1]:
            before = self._snapshot(event, ["name", "date", "archive_id"])
            for role in ("engineer", "manager"):
                self._expect_refused(mismatches, "the event of a signed record rewritten",
                                     role, "aftersales.archive.event", "write", [
                                         event.ids, {"name": "Nothing happened",
                                                     "date": "2020-01-15 08:00:00"}])
            self._unchanged(mismatches, "events of a signed record", event, before)
        # Ranges: quantities below zero (issue 13, "ranges validated in the model")
        if "aftersales.parts.request" in self.samples:
            request = self.samples["aftersales.parts.request"]
            line = request.line_ids[:1]
            before = self._snapshot(line, ["quantity"])
            self._expect_refused(mismatches, "a parts request line of -40", "engineer",
                                 "aftersales.parts.request.line", "write",
                                 [line.ids, {"quantity": -40.0}])
            self._unchanged(mismatches, "parts request line", line, before)
        if "mrp.repair" in self.samples:
            repair = self.samples["mrp.repair"]
            line = repair.operations[:1]
            before = self._snapshot(line, ["product_uom_qty", "price_unit"])
            self._expect_refused(mismatches, "a repair line of -1", "engineer",
                                 "mrp.repair.line", "write", [line.ids, {
                                     "product_uom_qty": -1.0}])
            self._unchanged(mismatches, "repair line", line, before)
        self.assertEqual(mismatches, [])
