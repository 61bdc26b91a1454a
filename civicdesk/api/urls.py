"""Mounts each domain's router on the one API object."""

from . import core, geo
from .base import api

api.add_router("/", core.router)
api.add_router("/geo", geo.router)

urlpatterns = api.urls
