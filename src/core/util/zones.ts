/**
 * Pressure zones of the foot and how they map to output channels.
 *
 * Channel c drives zone (c % ZONES_PER_FOOT) of foot floor(c / ZONES_PER_FOOT):
 * channels 0-3 are heel, arch, ball, toes of the left foot, 4-7 the same of the right foot.
 */

/** Zones of one foot, from heel to toes. */
export const ZONE_HEEL = 0
export const ZONE_ARCH = 1
export const ZONE_BALL = 2
export const ZONE_TOES = 3

/** Zones per foot. */
export const ZONES_PER_FOOT = 4

/** Most feet a device drives. */
export const MAX_FEET = 2

/** Zone names in zone order, as they appear in pattern data. */
export const ZONE_NAMES = ["heel", "arch", "ball", "toes"]

/** Index of a zone name, or -1 when the name is not a zone. */
export function zoneIndex(name: string): number {
    for (let z = 0; z < ZONES_PER_FOOT; z++) if (ZONE_NAMES[z] === name) return z
    return -1
}

/** Human name of a channel, e.g. "left arch". */
export function channelName(channel: number, feet: number): string {
    const zone = ZONE_NAMES[channel % ZONES_PER_FOOT]
    if (feet < 2) return zone
    return (channel < ZONES_PER_FOOT ? "left " : "right ") + zone
}
