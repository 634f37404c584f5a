FROM python:3.11-slim
# Production by default: the settings refuse to load with DEBUG on or without a SECRET_KEY, and turn on
# HTTPS redirects, HSTS and secure cookies (see the README's Configuration).
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production DEBUG=false
WORKDIR /app
COPY . /app
RUN pip install --no-cache-dir /app \
 && SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
