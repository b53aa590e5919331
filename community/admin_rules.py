"""Admin classes that take their permissions from the rules in each app's ``rules.py``.

Django's admin asks for ``<app>.view/add/change/delete_<model>``. Rather than give rules those
names (which would open the admin to whoever a site rule lets in), each admin class names the
rule that decides each action. An action without a rule is for superusers only.
"""

from django.contrib import admin


class RulesAdminMixin:
    """Answer the admin's ``has_*_permission`` from named django-rules permissions."""

    view_rule: str | None = None
    add_rule: str | None = None
    change_rule: str | None = None
    delete_rule: str | None = None

    @staticmethod
    def _allowed(request, rule: str | None, obj=None) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if rule is None:
            return user.is_superuser
        # has_perm answers True for an active superuser before asking any rule.
        return user.has_perm(rule, obj)

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request, self.view_rule, obj) or self.has_change_permission(request, obj)

    def has_add_permission(self, request, *args) -> bool:
        return self._allowed(request, self.add_rule)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request, self.change_rule, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._allowed(request, self.delete_rule, obj)


class RulesModelAdmin(RulesAdminMixin, admin.ModelAdmin):
    pass
