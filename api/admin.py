"""Admins issue API tokens here: to a Data reader or a staff user, shown once."""

from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse

from .models import ApiToken
from .tokens import may_hold_token, token_issue


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "name", "revoked"]

    def clean_user(self):
        user = self.cleaned_data["user"]
        if not may_hold_token(user):
            raise forms.ValidationError(
                "Give the user the role Data reader (or a staff role) before issuing a token."
            )
        return user


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ["name", "user", "prefix", "created_at", "created_by", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["name", "user__username", "prefix"]

    def get_readonly_fields(self, request, obj=None):
        issued = ["prefix", "created_at", "created_by"]
        return ["user", "name", *issued] if obj else []

    def get_fields(self, request, obj=None):
        return (
            ["user", "name", "prefix", "created_at", "created_by", "revoked"]
            if obj
            else [
                "user",
                "name",
            ]
        )

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            request.issued_token = token_issue(obj, issued_by=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        """The token on a page of its own, once (not in a message, which may be kept in
        a cookie)."""
        context = {
            **self.admin_site.each_context(request),
            "token": obj,
            "raw": request.issued_token,
        }
        return TemplateResponse(request, "api/token_issued.html", context)
