"""Permission shapes the desk's record lists share (the corrections list, live updates, the
ratings summaries): what each list's services write, nobody adds, edits or deletes by hand."""

from articles import workflow


class ReadOnlyAdmin:
    """A list written by the service that owns it: no add, change or delete in the desk.

    ``obj=None`` on ``has_add_permission`` fits model admins and inlines alike.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EditorsReadOnlyAdmin(ReadOnlyAdmin):
    """Read only, and seen by editors alone (reporters get neither the menu nor the pages)."""

    def has_module_permission(self, request):
        return workflow.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return workflow.is_editor(request.user)
