"""/favicon.ico, which browsers ask for whatever the page's <link rel="icon"> says."""
from django.templatetags.static import static
from django.views.generic import RedirectView


class FaviconView(RedirectView):
    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        # At request time: the hashed name exists only once the static files are collected.
        return static("img/favicon.svg")
