class GuardExtension:
    """Names that an addon adds to a `_guard_*` declaration of a model it extends (issue 13).

    `aftersales.guard.mixin` reads its declarations as class attributes; a plain tuple in an
    extension would replace the declaration of the addon that defines the model. Declared in
    the extension's class body, this one reads the declaration that comes next in the model's
    classes (the defining addon's, or the mixin's empty one) and adds its own names:

        _guard_owned_fields = GuardExtension("coverage_decision", "coverage_reason")
    """

    def __init__(self, *names):
        self.names = names

    def __set_name__(self, owner, name):
        self.owner = owner
        self.name = name

    def __get__(self, record, cls):
        inherited = tuple(getattr(super(self.owner, cls), self.name, ()))
        return inherited + tuple(name for name in self.names if name not in inherited)
