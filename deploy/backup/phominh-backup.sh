#!/usr/bin/env bash
# Nightly backup of Phổ Minh Thi đua: the PostgreSQL database (pg_dump, custom format, consistent while
# the portal runs) and the media folder (evidence files, finished documents), into PHOMINH_BACKUP_DIR,
# keeping PHOMINH_BACKUP_DAYS days. Reads DATABASE_URL and DJANGO_MEDIA_ROOT like the portal
# (/etc/phominh/phominh.env through phominh-backup.service). A file appears under its final name only
# when complete, so the newest file is always a whole backup (the operations page /van-hanh/ shows it).
#
# Restore (into a new, empty database; then point DATABASE_URL at it and restart the two units):
#   createdb -O phominh phominh_restored
#   pg_restore --no-owner --role=phominh --exit-on-error --dbname=phominh_restored phominh-YYYY-MM-DD.dump
#   tar xzf media-YYYY-MM-DD.tgz -C /var/lib/phominh/media
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL must name the database of the portal}"
dir=${PHOMINH_BACKUP_DIR:-/var/backups/phominh}
days=${PHOMINH_BACKUP_DAYS:-14}
stamp=$(date +%F)
mkdir -p "$dir"

pg_dump --format=custom --no-owner --dbname="$DATABASE_URL" --file="$dir/.phominh-$stamp.dump.part"
mv -f "$dir/.phominh-$stamp.dump.part" "$dir/phominh-$stamp.dump"

media=${DJANGO_MEDIA_ROOT:-}
if [ -n "$media" ] && [ -d "$media" ]; then
  tar czf "$dir/.media-$stamp.tgz.part" -C "$media" --exclude=./tmp .
  mv -f "$dir/.media-$stamp.tgz.part" "$dir/media-$stamp.tgz"
fi

# Keep the last $days days (the newest is never removed, whatever its age).
find "$dir" -maxdepth 1 -type f \( -name 'phominh-*.dump' -o -name 'media-*.tgz' \) -mtime "+$((days - 1))" \
  ! -name "phominh-$stamp.dump" ! -name "media-$stamp.tgz" -delete
echo "backup: $dir/phominh-$stamp.dump"
