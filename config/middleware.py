from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    """Bokmål unless the person chose English with the language switch. Unlike Django's
    LocaleMiddleware it ignores the browser's Accept-Language: a Norwegian public-sector
    service speaks bokmål first, whatever language the computer was set up in."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() rather than activate(): the language must not stay active in the thread
        # after the request (the next test, or any work the thread does outside a request).
        with translation.override(language):
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
