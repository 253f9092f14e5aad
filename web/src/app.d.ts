import type { Me } from '$lib/api/client';
import type { Map as MapLibreMap } from 'maplibre-gl';

declare global {
  namespace App {
    interface Error {
      message: string;
      status?: number;
    }
    interface PageData {
      user: Me | null;
      mapStyleUrl: string | null;
    }
    interface Platform {
      req?: import('node:http').IncomingMessage;
    }
  }
  interface Window {
    /** The board's (or picker's) MapLibre instance, for the browser tests. */
    __hexhoodMap?: MapLibreMap;
  }
}

export {};
