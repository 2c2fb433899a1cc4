"""The application's addresses plus the benchmark's floor: a minimal view that renders a
template to exactly SIZE bytes. The floor is what any Django page of that size costs here
(request and response, middleware, the login check, the template engine), so a page's time
divided by it is what our own work adds, whatever the machine."""
from functools import lru_cache

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as application

LINE = 100  # bytes per rendered line, about what a line of the real pages holds

FLOOR = engines["django"].from_string("{% for line in lines %}{{ line }}\n{% endfor %}{{ rest }}")


@lru_cache
def _lines(size: int) -> tuple[list[str], str]:
    count, rest = divmod(size, LINE)
    return ["x" * (LINE - 1)] * count, "x" * rest


@login_required
def floor(request, size: int):
    lines, rest = _lines(size)
    return HttpResponse(FLOOR.render({"lines": lines, "rest": rest}, request))


urlpatterns = [path("_benk/gulv/<int:size>/", floor, name="bench_floor"), *application]
