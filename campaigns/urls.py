from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("representatives/", views.representatives, name="representatives"),
    path("about/data/", views.AboutDataView.as_view(), name="about_data"),
]
