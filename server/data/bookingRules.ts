// The booking state machine, in one table, so every rule can be read in one place.
import type { Viewer } from '../auth/jwt.ts';

export type BookingStatus = 'PENDING' | 'CONFIRMED' | 'CANCELLED';
export type PaymentStatus = 'UNPAID' | 'PAID' | 'REFUNDED';
export type BookingAction = 'confirm' | 'cancel' | 'pay' | 'reschedule';
type Actor = 'owner' | 'admin';

interface Transition {
  /** Booking states the action applies to. */
  from: { status: readonly BookingStatus[]; payment: readonly PaymentStatus[] };
  /** Who may take it. */
  by: readonly Actor[];
  /** The state after it; `undefined` keeps a field as it is. */
  to: (current: PaymentStatus) => { status?: BookingStatus; paymentStatus?: PaymentStatus };
}

const anyPayment: readonly PaymentStatus[] = ['UNPAID', 'PAID', 'REFUNDED'];

export const bookingTransitions: Record<BookingAction, Transition> = {
  confirm: {
    from: { status: ['PENDING'], payment: anyPayment },
    by: ['admin'],
    to: () => ({ status: 'CONFIRMED' }),
  },
  cancel: {
    from: { status: ['PENDING', 'CONFIRMED'], payment: anyPayment },
    by: ['owner', 'admin'],
    to: (payment) => ({
      status: 'CANCELLED',
      paymentStatus: payment === 'PAID' ? 'REFUNDED' : undefined,
    }),
  },
  pay: {
    from: { status: ['PENDING', 'CONFIRMED'], payment: ['UNPAID'] },
    by: ['owner'],
    to: () => ({ paymentStatus: 'PAID' }),
  },
  reschedule: {
    from: { status: ['PENDING', 'CONFIRMED'], payment: anyPayment },
    by: ['owner', 'admin'],
    to: () => ({}),
  },
};

export const activeStatuses: readonly BookingStatus[] = ['PENDING', 'CONFIRMED'];

/** Whether `viewer` may take `action` at all, on a booking owned by `ownerId`. */
export function mayTake(action: BookingAction, viewer: Viewer, ownerId: string): boolean {
  const { by } = bookingTransitions[action];
  return (
    (by.includes('admin') && viewer.role === 'admin') ||
    (by.includes('owner') && viewer.id === ownerId)
  );
}

/** Whether the booking's current state allows `action`. */
export function allows(
  action: BookingAction,
  state: { status: BookingStatus; paymentStatus: PaymentStatus },
): boolean {
  const { from } = bookingTransitions[action];
  return from.status.includes(state.status) && from.payment.includes(state.paymentStatus);
}

export const maxBookingDays = 90;
