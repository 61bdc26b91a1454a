"""Mounts each domain's router on the one API object."""

from . import (
    assistant,
    community,
    core,
    geo,
    handbook,
    hotline,
    impact,
    mobile,
    outreach,
    servicedesk,
    staffing,
    volunteers,
)
from .base import api

api.add_router("/", core.router)
api.add_router("/geo", geo.router)
api.add_router("/handbook", handbook.router)
api.add_router("/assistant", assistant.router)
api.add_router("/hotline", hotline.router)
api.add_router("/servicedesk", servicedesk.router)
api.add_router("/servicedesk", mobile.router)
api.add_router("/staffing", staffing.router)
api.add_router("/community", community.router)
api.add_router("/outreach", outreach.router)
api.add_router("/volunteers", volunteers.router)
api.add_router("/impact", impact.router)

urlpatterns = api.urls
