from django.urls import reverse

from civicdesk.kernel.registry import registry


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_links": []}
    path = request.path
    items = []
    for item in registry.nav_for(user):
        url = reverse(item.url_name)
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    links = [{"label": item.label, "url": reverse(item.url_name)} for item in registry.user_links_for(user)]
    return {"nav_items": items, "user_links": links}
