"""API tokens are made from the shell (manage.py drf_create_token <username>): the admin
writes through audited services only, and a token row is not one of them."""
from django.contrib import admin
from rest_framework.authtoken.models import TokenProxy

if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)
