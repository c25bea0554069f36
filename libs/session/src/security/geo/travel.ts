import type { SessionGeoLocation } from '../../options/session-module-options.interface';

const EARTH_RADIUS_KM = 6371;

/**
 * City-level ip locations are off by tens of kilometres, and two addresses of one metropolitan
 * area can sit in different cities: distances up to this much are not travel.
 */
export const LOCATION_ACCURACY_KM = 100;

export interface LocatedPoint {
  readonly location: SessionGeoLocation;
  readonly at: Date;
}

/** Great-circle distance (haversine) in km, or null without coordinates on both sides. */
export function distanceKm(a: SessionGeoLocation, b: SessionGeoLocation): number | null {
  if (!hasCoordinates(a) || !hasCoordinates(b)) return null;
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The speed (km/h) a client would have needed to be at `from`, then at `to`; null when either
 * has no coordinates. Within `LOCATION_ACCURACY_KM` it is 0, whatever the time.
 */
export function travelSpeedKmh(from: LocatedPoint, to: LocatedPoint): number | null {
  const distance = distanceKm(from.location, to.location);
  if (distance === null) return null;
  const travelled = Math.max(0, distance - LOCATION_ACCURACY_KM);
  if (travelled === 0) return 0;
  const hours = Math.abs(to.at.getTime() - from.at.getTime()) / 3_600_000;
  return hours === 0 ? Number.POSITIVE_INFINITY : travelled / hours;
}

function hasCoordinates(
  location: SessionGeoLocation,
): location is SessionGeoLocation & { latitude: number; longitude: number } {
  return typeof location.latitude === 'number' && typeof location.longitude === 'number';
}
