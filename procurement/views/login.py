# placeholder until the owner writes this module

from django.contrib.auth.views import LoginView


class DemoLoginView(LoginView):  # placeholder
    pass
