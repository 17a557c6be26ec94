"""Toolset calendar: events in memory, keyed by a UUID derived from the title and the start."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

from generated import ToolError
from generated.calendar import (
    CalendarHandlers,
    CancelEventArguments,
    CreateEventArguments,
    SetEventMetadataArguments,
    SetEventMetadataResult,
)
from generated.calendar.models import AgendaItem, Person
from pydantic import AwareDatetime, BaseModel

NAMESPACE = uuid.UUID("6f1c3c2e-0b7a-4d1e-9a57-3e0c2b1d4f60")


class Event(BaseModel):
    id: uuid.UUID
    title: str
    starts: AwareDatetime
    ends: AwareDatetime
    visibility: str
    attendees: list[Person]
    reminder_minutes: int | None
    agenda: list[AgendaItem]
    metadata: dict[str, str] = {}


class Calendar(CalendarHandlers):
    """Events in `events`; attendees are "told" through `notices`."""

    def __init__(self) -> None:
        self.events: dict[uuid.UUID, Event] = {}
        self.notices: list[str] = []
        self._lock = threading.Lock()

    def create_event(self, args: CreateEventArguments) -> Event:
        if args.to <= args.from_:
            raise ToolError("the event must end after it starts")
        if args.reminder is None:
            minutes = None
        elif isinstance(args.reminder, timedelta):
            minutes = int(args.reminder.total_seconds() // 60)
        else:
            minutes = args.reminder  # minutes, as a plain int
        event = Event(
            id=uuid.uuid5(NAMESPACE, f"{args.title}|{args.from_.isoformat()}"),
            title=args.title,
            starts=args.from_,
            ends=args.to,
            visibility=args.class_,
            attendees=args.attendees,
            reminder_minutes=minutes,
            agenda=args.agenda or [],
        )
        with self._lock:
            if event.id in self.events:
                raise ToolError(f"{args.title} at {args.from_.isoformat()} exists already (id {event.id})")
            self.events[event.id] = event
            self.notices.extend(f"invited {p.email} to {args.title}" for p in args.attendees)
        return event

    def cancel_event(self, args: CancelEventArguments) -> Event | str:
        with self._lock:
            event = self.events.pop(args.event_id, None)
            if event is None:
                raise ToolError(f"there is no event {args.event_id}")
            self.notices.extend(f"told {p.email} that {event.title} is cancelled" for p in event.attendees)
        if args.json_:
            return event
        told = len(event.attendees)
        return f"Cancelled {event.title} ({event.starts.isoformat()}); {told} attendee{'' if told == 1 else 's'} told."

    def set_event_metadata(self, args: SetEventMetadataArguments) -> SetEventMetadataResult:
        with self._lock:
            event = self.events.get(args.event_id)
            if event is None:
                raise ToolError(f"there is no event {args.event_id}")
            event.metadata.update(args.metadata)
            return SetEventMetadataResult(
                event_id=event.id, metadata=dict(event.metadata), copied_to_recurring=args.copy_
            )
